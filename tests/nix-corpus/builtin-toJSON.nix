builtins.toJSON { b = [ 1 2.5 "x" null true ]; a = { c = "q\"uote"; }; }
