let
  name = "mlflow"; release = "prod";
  labels = { "app.kubernetes.io/name" = name; "app.kubernetes.io/instance" = release; };
in { metadata = { name = "${release}-${name}"; inherit labels; }; spec.selector.matchLabels = labels; }
