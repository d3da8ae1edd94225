// Locks taken through a project's macros: findings point at the macro's
// use, not its definition.
#include <map>
#include <mutex>
#include <string>

#define CONCAT_INNER(a, b) a##b
#define CONCAT(a, b) CONCAT_INNER(a, b)
#define GUARD(m) std::lock_guard<std::mutex> CONCAT(guard_, __COUNTER__)(m)
#define LOCK(m) (m).lock()
#define UNLOCK(m) (m).unlock()
// Runs a statement with the lock held.
#define SYNCHRONIZED(m, stmt)                                                  \
  do {                                                                         \
    std::lock_guard<std::mutex> sync_guard_(m);                                \
    stmt;                                                                      \
  } while (0)

// ------------------------------------------------- a symbol table --

std::mutex g_symbols_mu;
std::map<std::string, int> g_symbols;

int symbol_lookup(const std::string &name) {
  GUARD(g_symbols_mu);
  auto it = g_symbols.find(name);
  return it == g_symbols.end() ? -1 : it->second;
}

void symbol_define_bad(const std::string &name, int addr) {
  GUARD(g_symbols_mu);
  g_symbols[name] = addr;
  GUARD(g_symbols_mu); // expect: threadlint-recursive-lock "'g_symbols_mu' acquired while it is already held"
}

void symbol_define_ok(const std::string &name, int addr) {
  GUARD(g_symbols_mu);
  g_symbols[name] = addr;
}

// A statement macro whose statement calls a function that takes the lock.
void symbol_alias_bad(const std::string &alias, const std::string &name) {
  SYNCHRONIZED(g_symbols_mu, g_symbols[alias] = symbol_lookup(name)); // expect: threadlint-recursive-lock "call to 'symbol_lookup' acquires 'g_symbols_mu', which is already held"
}

void symbol_alias_ok(const std::string &alias, const std::string &name) {
  int addr = symbol_lookup(name);
  SYNCHRONIZED(g_symbols_mu, g_symbols[alias] = addr);
}

// Manual macros, balanced.
void symbol_undefine_ok(const std::string &name) {
  LOCK(g_symbols_mu);
  g_symbols.erase(name);
  UNLOCK(g_symbols_mu);
}

// Two statement macros in a row: each releases before the next.
void symbol_swap_ok(const std::string &a, const std::string &b) {
  int va = 0, vb = 0;
  SYNCHRONIZED(g_symbols_mu, va = g_symbols[a]);
  SYNCHRONIZED(g_symbols_mu, vb = g_symbols[b]);
  SYNCHRONIZED(g_symbols_mu, (g_symbols[a] = vb, g_symbols[b] = va));
}

// Manual macro inside a guard macro's scope.
void symbol_reset_bad() {
  GUARD(g_symbols_mu);
  g_symbols.clear();
  LOCK(g_symbols_mu); // expect: threadlint-recursive-lock "'g_symbols_mu' acquired while it is already held"
  UNLOCK(g_symbols_mu);
}
