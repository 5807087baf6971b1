[ (toString 1) (toString "s") (toString true) (toString false) (toString null) (toString [ 1 [ 2 "x" ] null ]) (toString 1.5) ]
