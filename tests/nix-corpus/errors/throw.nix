throw "custom failure"
