builtins.split "([[:digit:]]+)|([a-z])" "12x3"
