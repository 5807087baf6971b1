[ (builtins.match "a(b+)c" "abbbc") (builtins.match "abc" "abc") (builtins.match "x" "abc") ]
