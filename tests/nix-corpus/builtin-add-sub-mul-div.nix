[ (builtins.add 1 2) (builtins.sub 5 7) (builtins.mul 3 4) (builtins.div 7 2) (builtins.div (-7) 2) (builtins.add 1 0.5) ]
