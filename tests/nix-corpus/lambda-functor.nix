let f = { __functor = self: x: x + self.n; n = 3; }; in f 4
