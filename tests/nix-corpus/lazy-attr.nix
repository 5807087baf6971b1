{ a = 1; b = throw "unused"; }.a
