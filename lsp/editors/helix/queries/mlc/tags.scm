; inherits: nix
; mlc uses the Nix grammar, so the Nix queries apply as they are.
