builtins.intersectAttrs { a = 0; b = 0; } { b = 2; c = 3; }
