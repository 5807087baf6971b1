let name = "mlflow"; in "${name}/${name}"
