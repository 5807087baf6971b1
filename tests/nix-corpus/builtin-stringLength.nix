[ (builtins.stringLength "") (builtins.stringLength "hello") (builtins.stringLength "héllo") ]
