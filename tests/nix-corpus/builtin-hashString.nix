[ (builtins.hashString "sha256" "") (builtins.hashString "sha256" "mlflow") (builtins.hashString "sha512" "abc") ]
