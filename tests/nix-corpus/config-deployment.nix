let
  defaults = { replicas = 1; image = { repository = "ghcr.io/mlflow/mlflow"; tag = "v3.12.0"; }; ports = [ 5000 ]; };
  user = { replicas = 2; image.tag = "v3.13.0"; };
  merge = a: b: a // builtins.mapAttrs (n: v: if builtins.isAttrs v && a ? ${n} && builtins.isAttrs a.${n} then merge a.${n} v else v) b;
  cfg = merge defaults user;
in {
  kind = "Deployment";
  spec.replicas = cfg.replicas;
  spec.template.spec.containers = [ { name = "mlflow"; image = "${cfg.image.repository}:${cfg.image.tag}"; ports = map (p: { containerPort = p; }) cfg.ports; } ];
}
