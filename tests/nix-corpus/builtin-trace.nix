builtins.trace "traced" 5
