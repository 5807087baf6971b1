with { x = 7; }; let inherit x; in x
