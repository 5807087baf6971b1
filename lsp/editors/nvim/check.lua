-- Run by scripts/checks/30-neovim.sh, in a headless Neovim whose configuration is the README's
-- setup (mlc.lua copied to plugin/) and whose current buffer is a .mlc file of a project with
-- an undefined name and an import outside the project. Checks what a user would see: the
-- filetype, mlc-lsp attached with the project as its root, the server's diagnostics (and no
-- content of the refused file in them), completion. Exits with `cquit 1` on a failure.

local function say(message)
  io.stdout:write("30-neovim: " .. message .. "\n")
end

local function fail(message)
  io.stderr:write("30-neovim: FAILED: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local buf = vim.api.nvim_get_current_buf()
local project = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ":p:h")

if vim.bo[buf].filetype ~= "mlc" then
  fail("the filetype of a .mlc file is '" .. vim.bo[buf].filetype .. "', not 'mlc'")
end

local function clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = buf })
  end
  local out = {}
  for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
    table.insert(out, client)
  end
  return out
end

-- The server answers `initialize`, then publishes the file's diagnostics.
local got = vim.wait(60000, function()
  return #clients() > 0 and #vim.diagnostic.get(buf) >= 2
end, 100)
local attached = clients()
if #attached == 0 then
  fail("no language client attached to the buffer")
end
local client = attached[1]
if client.name ~= "mlc" then
  fail("the client attached is '" .. client.name .. "', not 'mlc'")
end
if client.config.root_dir ~= project then
  fail("the root is " .. tostring(client.config.root_dir) .. ", not " .. project)
end
local diagnostics = vim.diagnostic.get(buf)
local messages = {}
for _, d in ipairs(diagnostics) do
  table.insert(messages, (d.lnum + 1) .. ": " .. d.message)
end
local all = table.concat(messages, "\n")
if not got then
  fail("expected two diagnostics, got:\n" .. all)
end
if not all:find("`prot`", 1, true) then
  fail("no diagnostic for the undefined name `prot`:\n" .. all)
end
if not all:find("outside the project root", 1, true) then
  fail("the import outside the project was not refused:\n" .. all)
end
if all:find("the secret", 1, true) then
  fail("a diagnostic quotes the refused file:\n" .. all)
end

-- Completion at the end of `prot` (line 5) offers `port`.
local line = vim.api.nvim_buf_get_lines(buf, 4, 5, false)[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = 4, character = line:find("prot", 1, true) + 3 },
}
local replies = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 20000) or {}
local offered = false
for _, reply in pairs(replies) do
  local items = reply.result and (reply.result.items or reply.result) or {}
  for _, item in ipairs(items) do
    if item.label == "port" then
      offered = true
    end
  end
end
if not offered then
  fail("completion after `prot` does not offer `port`")
end

if vim.bo[buf].omnifunc ~= "v:lua.vim.lsp.omnifunc" then
  fail("omnifunc is '" .. vim.bo[buf].omnifunc .. "': <C-x><C-o> would not complete")
end

local version = vim.version()
say(string.format(
  "ok: Neovim %d.%d.%d, mlc-lsp attached at %s, %d diagnostics, completion answered",
  version.major, version.minor, version.patch, project, #diagnostics
))
vim.cmd("qall!")
