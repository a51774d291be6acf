-- Headless Neovim (0.7+) as a plain stdio LSP client of authlint-language-server:
-- diagnostics arrive, a quick fix is requested and applied, fix-all clears the rest.
-- Run from the workspace folder with the handler file as the current buffer;
-- AUTHLINT_SERVER names the server bin. Exits 0 on success, 1 otherwise.

local bufnr = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(bufnr)

local function fail(message)
  io.stderr:write('FAIL: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local function pass(message)
  io.stdout:write('ok - ' .. message .. '\n')
end

local function wait_for_count(count, what)
  local found = vim.wait(10000, function()
    return #vim.diagnostic.get(bufnr) == count
  end, 50)
  if not found then
    fail(what .. ': expected ' .. count .. ' diagnostics, have ' .. #vim.diagnostic.get(bufnr))
  end
end

-- Back to an LSP diagnostic, which the server matches by source, code and range.
local function to_lsp(d)
  return {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    message = d.message,
    severity = d.severity,
    source = d.source,
    code = d.user_data and d.user_data.lsp and d.user_data.lsp.code,
  }
end

local function code_actions(diagnostics, only)
  local first = diagnostics[1] or { range = { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } } }
  local params = { textDocument = { uri = uri }, range = first.range, context = { diagnostics = diagnostics, only = only } }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 5000) or {}
  local actions = {}
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(actions, action)
    end
  end
  return actions
end

vim.bo[bufnr].filetype = 'javascript'
local client_id = vim.lsp.start_client({
  name = 'authlint',
  cmd = { 'node', os.getenv('AUTHLINT_SERVER'), '--stdio' },
  root_dir = vim.fn.getcwd(),
})
if not client_id then fail('the server did not start') end
vim.lsp.buf_attach_client(bufnr, client_id)

wait_for_count(2, 'after opening')
local diagnostics = vim.diagnostic.get(bufnr)
table.sort(diagnostics, function(a, b) return a.lnum < b.lnum end)
if diagnostics[1].source ~= 'authlint' or to_lsp(diagnostics[1]).code ~= 'missing-www-authenticate' then
  fail('unexpected diagnostic ' .. vim.inspect(diagnostics[1]))
end
pass('2 diagnostics with code missing-www-authenticate')

local actions = code_actions({ to_lsp(diagnostics[1]) })
local quick_fix
for _, action in ipairs(actions) do
  if action.isPreferred then quick_fix = action end
end
if not quick_fix then fail('no preferred quick fix among ' .. vim.inspect(actions)) end
pass(#actions .. ' code actions, preferred: ' .. quick_fix.title)

vim.lsp.util.apply_workspace_edit(quick_fix.edit, 'utf-16')
local line = vim.api.nvim_buf_get_lines(bufnr, diagnostics[1].lnum, diagnostics[1].lnum + 1, false)[1]
if not line:find('WWW-Authenticate', 1, true) then fail('the quick fix did not change the line: ' .. line) end
wait_for_count(1, 'after the quick fix')
pass('quick fix applied: ' .. vim.trim(line))

local fix_all = code_actions({}, { 'source.fixAll' })[1]
if not fix_all or fix_all.kind ~= 'source.fixAll.authlint' then fail('no source.fixAll.authlint action') end
vim.lsp.util.apply_workspace_edit(fix_all.edit, 'utf-16')
wait_for_count(0, 'after fix all')
pass('source.fixAll.authlint applied, diagnostics cleared')

vim.lsp.stop_client(client_id)
vim.cmd('qall!')
