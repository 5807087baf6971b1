baseNameOf (toString (dirOf ./a/b.mlc))
