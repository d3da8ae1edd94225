// Cycles longer than two locks, cycles seen from several functions, and
// chains that are not cycles. Every cycle is reported once, at the
// acquisition with the smallest position among its edges, with the other
// edges named in the message.
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

// ---------------------------------------- a warehouse: three locks --

// orders -> stock (reserve), stock -> shipping (dispatch), shipping ->
// orders (confirm): no pair is taken both ways, the three together deadlock.
std::mutex g_orders_mu;
std::mutex g_stock_mu;
std::mutex g_shipping_mu;
std::map<int, int> g_orders;
std::map<int, int> g_stock;
std::deque<int> g_shipments;

void reserve_bad(int order, int sku) {
  std::lock_guard<std::mutex> o(g_orders_mu);
  g_orders[order] = sku;
  std::lock_guard<std::mutex> s(g_stock_mu); // expect: threadlint-lock-order "'g_stock_mu' acquired while holding 'g_orders_mu'; elsewhere 'g_shipping_mu' is acquired while holding 'g_stock_mu' (cycles.cpp:32), and 'g_orders_mu' while holding 'g_shipping_mu' (cycles.cpp:39): threads taking these paths at once deadlock"
  --g_stock[sku];
}

void dispatch_bad(int sku) {
  std::lock_guard<std::mutex> s(g_stock_mu); // expect-note: "'g_stock_mu' acquired here, in 'dispatch_bad'"
  if (g_stock[sku] > 0) {
    std::lock_guard<std::mutex> sh(g_shipping_mu); // expect-note: "'g_shipping_mu' acquired here while 'g_stock_mu' is held"
    g_shipments.push_back(sku);
  }
}

void confirm_bad() {
  std::lock_guard<std::mutex> sh(g_shipping_mu); // expect-note: "'g_shipping_mu' acquired here, in 'confirm_bad'"
  std::lock_guard<std::mutex> o(g_orders_mu); // expect-note: "'g_orders_mu' acquired here while 'g_shipping_mu' is held"
  if (!g_shipments.empty())
    g_orders.erase(g_shipments.front());
}

// More paths along existing edges: the same cycle, not a new finding.
void reserve_again_ok(int order) {
  std::lock_guard<std::mutex> o(g_orders_mu);
  std::lock_guard<std::mutex> s(g_stock_mu);
  g_orders.erase(order);
}

// Stock alone, shipping alone.
int stock_of_ok(int sku) {
  std::lock_guard<std::mutex> s(g_stock_mu);
  return g_stock[sku];
}

size_t backlog_ok() {
  std::lock_guard<std::mutex> sh(g_shipping_mu);
  return g_shipments.size();
}

// -------------------------------- a chain that is not a cycle --

// A -> B, B -> C and A -> C: a consistent hierarchy of three levels.
std::mutex g_tenant_mu;
std::mutex g_project_mu;
std::mutex g_task_mu;
std::map<std::string, int> g_tenants, g_projects, g_tasks;

void create_project_ok(const std::string &t, const std::string &p) {
  std::lock_guard<std::mutex> a(g_tenant_mu);
  std::lock_guard<std::mutex> b(g_project_mu);
  ++g_tenants[t];
  ++g_projects[p];
}

void create_task_ok(const std::string &p, const std::string &k) {
  std::lock_guard<std::mutex> b(g_project_mu);
  std::lock_guard<std::mutex> c(g_task_mu);
  ++g_projects[p];
  ++g_tasks[k];
}

void tenant_quota_ok(const std::string &t) {
  std::lock_guard<std::mutex> a(g_tenant_mu);
  std::lock_guard<std::mutex> c(g_task_mu);
  g_tenants[t] = static_cast<int>(g_tasks.size());
}

void delete_tenant_ok(const std::string &t) {
  std::lock_guard<std::mutex> a(g_tenant_mu);
  std::lock_guard<std::mutex> b(g_project_mu);
  std::lock_guard<std::mutex> c(g_task_mu);
  g_tenants.erase(t);
  g_projects.clear();
  g_tasks.clear();
}

// ------------------------------------ four locks around a ring --

// A media pipeline: capture -> encode -> mux -> upload -> capture.
std::mutex g_capture_mu, g_encode_mu, g_mux_mu, g_upload_mu;
std::vector<int> g_frames, g_packets, g_segments, g_uploads;

void capture_frame_bad(int f) {
  std::lock_guard<std::mutex> c(g_capture_mu);
  g_frames.push_back(f);
  std::lock_guard<std::mutex> e(g_encode_mu); // expect: threadlint-lock-order "'g_encode_mu' acquired while holding 'g_capture_mu'; elsewhere 'g_mux_mu' is acquired while holding 'g_encode_mu' (cycles.cpp:114), 'g_upload_mu' while holding 'g_mux_mu' (cycles.cpp:120), and 'g_capture_mu' while holding 'g_upload_mu' (cycles.cpp:126)"
  g_packets.push_back(f);
}

void encode_packet_bad() {
  std::lock_guard<std::mutex> e(g_encode_mu);
  std::lock_guard<std::mutex> m(g_mux_mu);
  g_segments.swap(g_packets);
}

void mux_segment_bad() {
  std::lock_guard<std::mutex> m(g_mux_mu);
  std::lock_guard<std::mutex> u(g_upload_mu);
  g_uploads.swap(g_segments);
}

void upload_done_bad() {
  std::lock_guard<std::mutex> u(g_upload_mu);
  std::lock_guard<std::mutex> c(g_capture_mu);
  g_frames.clear();
}

// Each stage copies out and then locks the next one alone.
void encode_packet_ok() {
  std::vector<int> copy;
  {
    std::lock_guard<std::mutex> e(g_encode_mu);
    copy.swap(g_packets);
  }
  std::lock_guard<std::mutex> m(g_mux_mu);
  g_segments.insert(g_segments.end(), copy.begin(), copy.end());
}

// --------------------------- a pair and a longer cycle sharing locks --

// Index <-> cache is a two-lock cycle (reported). Cache -> disk and
// disk -> index close a second, three-lock cycle index -> cache -> disk ->
// index through the same locks.
std::mutex g_idx_mu, g_cache_mu, g_disk_mu;
int g_idx, g_cache, g_disk;

void idx_then_cache_bad() {
  std::lock_guard<std::mutex> i(g_idx_mu);
  std::lock_guard<std::mutex> c(g_cache_mu); // expect: threadlint-lock-order "'g_cache_mu' acquired while holding 'g_idx_mu'; elsewhere 'g_idx_mu' is acquired while holding 'g_cache_mu' (cycles.cpp:157)"
  ++g_cache;
}

void cache_then_idx_bad() {
  std::lock_guard<std::mutex> c(g_cache_mu);
  std::lock_guard<std::mutex> i(g_idx_mu);
  ++g_idx;
}

void FN_cache_then_disk() {
  std::lock_guard<std::mutex> c(g_cache_mu);
  std::lock_guard<std::mutex> d(g_disk_mu);
  ++g_disk;
}

void FN_disk_then_idx() {
  // missed: g_idx_mu -> g_cache_mu (idx_then_cache_bad), g_cache_mu ->
  // g_disk_mu and g_disk_mu -> g_idx_mu form a three-lock cycle of their
  // own (three threads deadlock even once the index/cache pair is fixed),
  // but when a strongly connected group of locks contains a pair taken
  // both ways only the pairs are reported.
  std::lock_guard<std::mutex> d(g_disk_mu);
  std::lock_guard<std::mutex> i(g_idx_mu);
  ++g_idx;
}
