let names = [ "x" "y" ]; in { ${builtins.head names} = 1; ${builtins.elemAt names 1}.z = 2; }
