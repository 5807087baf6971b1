let
  options = { host = "0.0.0.0"; port = 5000; workers = 4; allowed_hosts = "*"; };
  flag = name: value: "--${builtins.replaceStrings [ "_" ] [ "-" ] name}=${toString value}";
in [ "mlflow" "server" ] ++ builtins.attrValues (builtins.mapAttrs flag options)
