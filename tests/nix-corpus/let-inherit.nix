let s = { x = 5; }; inherit (s) x; in x * 2
