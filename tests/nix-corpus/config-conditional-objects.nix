let
  storage = { enabled = true; size = "10Gi"; };
  ingress = { enabled = false; };
in builtins.filter (x: x != null) [
  (if storage.enabled then { kind = "PersistentVolumeClaim"; spec.resources.requests.storage = storage.size; } else null)
  (if ingress.enabled then { kind = "Ingress"; } else null)
  { kind = "Service"; }
]
