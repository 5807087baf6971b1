-- mlc for Neovim 0.11+ (vim.lsp.config). Put this file in ~/.config/nvim/plugin/mlc.lua,
-- or paste it into init.lua. `mlc-lsp` must be on PATH.

vim.filetype.add({ extension = { mlc = "mlc" } })

vim.lsp.config("mlc", {
  cmd = { "mlc-lsp" },
  filetypes = { "mlc" },
  root_markers = { ".git" },
})
vim.lsp.enable("mlc")

-- mlc's syntax is Nix's: with nvim-treesitter and its `nix` parser (`:TSInstall nix`), .mlc
-- files get Nix's tree-sitter highlighting; without it, the server's semantic tokens only.
vim.treesitter.language.register("nix", "mlc")
vim.api.nvim_create_autocmd("FileType", {
  pattern = "mlc",
  callback = function()
    vim.bo.commentstring = "# %s"
  end,
})
