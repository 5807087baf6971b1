let x = "X"; in ''
  ${x} is
    here
''
