[ (baseNameOf "/a/b/c.mlc") (baseNameOf "c") (baseNameOf "/a/b/") ]
