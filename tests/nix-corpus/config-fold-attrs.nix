builtins.foldl' (acc: o: acc // { ${o.kind} = o; }) { } [ { kind = "A"; n = 1; } { kind = "B"; n = 2; } { kind = "A"; n = 3; } ]
