'' text on first line
  second
''
