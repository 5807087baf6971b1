baseNameOf (toString (./a + "/b"))
