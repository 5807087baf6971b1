let v = { a = [ 1 "x" ]; b = null; }; in builtins.fromJSON (builtins.toJSON v) == v
