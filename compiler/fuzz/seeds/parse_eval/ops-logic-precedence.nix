[ (true || false && false) (!false && true) (false -> false -> false) ]
