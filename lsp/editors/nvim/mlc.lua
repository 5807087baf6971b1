-- mlc for Neovim 0.7 and later. Put this file in ~/.config/nvim/plugin/mlc.lua, or paste
-- it into init.lua. `mlc-lsp` must be on PATH. Tried headless against the real server by
-- scripts/checks/30-neovim.sh (with Debian's Neovim 0.7.2).

-- `*.mlc` files are of filetype `mlc` (an autocommand: `vim.filetype.add` needs 0.8).
vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
  pattern = "*.mlc",
  command = "setfiletype mlc",
})

-- The server's workspace folder: the nearest directory above the file holding `.git`, else
-- the file's own directory. Imports may read only files inside it (the project root).
local function root_dir(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local git = vim.fn.finddir(".git", dir .. ";")
  if git ~= "" then
    return vim.fn.fnamemodify(git, ":p:h:h")
  end
  return dir
end

if vim.fn.has("nvim-0.11") == 1 then
  vim.lsp.config("mlc", {
    cmd = { "mlc-lsp" },
    filetypes = { "mlc" },
    root_markers = { ".git" },
  })
  vim.lsp.enable("mlc")
else
  -- One server per root, started when the first `mlc` buffer under it opens.
  local clients = {}
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "mlc",
    callback = function(args)
      local root = root_dir(vim.api.nvim_buf_get_name(args.buf))
      local config = { name = "mlc", cmd = { "mlc-lsp" }, root_dir = root }
      if vim.lsp.start then
        -- 0.8 to 0.10: reuses a running client with the same name and root.
        vim.lsp.start(config, { bufnr = args.buf })
        return
      end
      -- 0.7: start the client once per root, then attach each buffer to it.
      local id = clients[root]
      if not id or vim.lsp.client_is_stopped(id) then
        id = vim.lsp.start_client(config)
        clients[root] = id
      end
      if id then
        vim.lsp.buf_attach_client(args.buf, id)
        -- 0.8+ sets this when a client attaches; 0.7 does not.
        vim.bo[args.buf].omnifunc = "v:lua.vim.lsp.omnifunc"
      end
    end,
  })
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "mlc",
  callback = function()
    vim.bo.commentstring = "# %s"
  end,
})

-- mlc's syntax is Nix's: with nvim-treesitter and its `nix` parser (`:TSInstall nix`), .mlc
-- files get Nix's tree-sitter highlighting. Neovim 0.9+ also colours them with the server's
-- semantic tokens; 0.7 and 0.8 have no semantic tokens, so there it is tree-sitter or none.
if vim.treesitter.language and vim.treesitter.language.register then
  vim.treesitter.language.register("nix", "mlc") -- 0.9+
else
  local ok, parsers = pcall(require, "nvim-treesitter.parsers")
  if ok and parsers.filetype_to_parsername then
    parsers.filetype_to_parsername.mlc = "nix" -- nvim-treesitter on 0.7 and 0.8
  end
end
