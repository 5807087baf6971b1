baseNameOf (toString ./some/file.mlc)
