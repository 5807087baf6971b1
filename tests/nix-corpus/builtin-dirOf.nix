[ (dirOf "/a/b/c.mlc") (dirOf "c") (dirOf "/c") ]
