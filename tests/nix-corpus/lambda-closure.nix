let mk = n: (x: x + n); add5 = mk 5; in add5 10
