map (s: builtins.match "[a-z0-9]([-a-z0-9]*[a-z0-9])?" s != null) [ "mlflow" "MLflow" "ml-flow-1" "-bad" ]
