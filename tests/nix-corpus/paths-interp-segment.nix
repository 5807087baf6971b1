let n = "x"; in baseNameOf (toString ./dir/${n}.mlc)
