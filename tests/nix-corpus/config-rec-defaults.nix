rec { port = 5000; url = "http://localhost:${toString port}"; probes.path = "/health"; probes.port = port; }
