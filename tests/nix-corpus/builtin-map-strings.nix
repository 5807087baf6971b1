map (s: s + "!") [ "a" "b" ]
