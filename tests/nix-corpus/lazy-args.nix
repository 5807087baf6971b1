let f = x: y: x; in f 1 (throw "unused")
