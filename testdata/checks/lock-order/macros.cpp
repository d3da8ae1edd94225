// Locks taken through macros: a project's LOCK()/UNLOCK() shorthands, a
// scoped WITH_LOCK() block, and a macro that takes two locks in a fixed
// order. Findings point at the macro's use (the expansion), not at the
// macro definition.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#define CONCAT_INNER(a, b) a##b
#define CONCAT(a, b) CONCAT_INNER(a, b)
#define LOCK(m) std::lock_guard<std::mutex> CONCAT(lock_, __COUNTER__)(m)
#define MUTEX_LOCK(m) (m).lock()
#define MUTEX_UNLOCK(m) (m).unlock()
#define WITH_LOCK(m)                                                           \
  for (std::unique_lock<std::mutex> with_lock_(m); with_lock_.owns_lock();     \
       with_lock_.unlock())
// Takes the device table lock, then the driver lock: the project's order.
#define LOCK_DEVICE_AND_DRIVER()                                               \
  LOCK(g_devices_mu);                                                          \
  LOCK(g_drivers_mu)

// ------------------------------------------------ a device manager --

std::mutex g_devices_mu;
std::mutex g_drivers_mu;
std::mutex g_irq_mu;
std::map<int, std::string> g_devices;
std::map<std::string, int> g_drivers;
std::vector<int> g_irqs;

void attach_bad(int dev, const std::string &driver) {
  LOCK(g_irq_mu);
  g_irqs.push_back(dev);
  LOCK(g_devices_mu); // expect: threadlint-lock-order "'g_devices_mu' acquired while holding 'g_irq_mu'; elsewhere 'g_irq_mu' is acquired while holding 'g_devices_mu'"
  g_devices[dev] = driver;
}

void detach_bad(int dev) {
  MUTEX_LOCK(g_devices_mu);
  g_devices.erase(dev);
  MUTEX_LOCK(g_irq_mu);
  g_irqs.clear();
  MUTEX_UNLOCK(g_irq_mu);
  MUTEX_UNLOCK(g_devices_mu);
}

// The two-lock macro, used everywhere: one order.
void bind_driver_ok(int dev, const std::string &driver) {
  LOCK_DEVICE_AND_DRIVER();
  g_devices[dev] = driver;
  ++g_drivers[driver];
}

void unbind_driver_ok(int dev) {
  LOCK_DEVICE_AND_DRIVER();
  --g_drivers[g_devices[dev]];
  g_devices.erase(dev);
}

// The driver lock alone.
int driver_refs_ok(const std::string &driver) {
  LOCK(g_drivers_mu);
  return g_drivers[driver];
}

// WITH_LOCK() blocks end before the next one starts.
void rescan_ok(std::vector<int> &found) {
  WITH_LOCK(g_irq_mu) { found = g_irqs; }
  WITH_LOCK(g_devices_mu) {
    for (int irq : found)
      g_devices[irq] = "unknown";
  }
}

// Manual macros released before the next lock.
void count_irqs_ok(long &n) {
  MUTEX_LOCK(g_irq_mu);
  n = static_cast<long>(g_irqs.size());
  MUTEX_UNLOCK(g_irq_mu);
  MUTEX_LOCK(g_drivers_mu);
  n += static_cast<long>(g_drivers.size());
  MUTEX_UNLOCK(g_drivers_mu);
}

// ------------------------------------- nested WITH_LOCK() blocks --

std::mutex g_power_mu;
std::mutex g_thermal_mu;
int g_power_state, g_temperature;

void throttle_bad(int temp) {
  WITH_LOCK(g_thermal_mu) {
    g_temperature = temp;
    WITH_LOCK(g_power_mu) { g_power_state = temp > 90 ? 0 : 1; } // expect: threadlint-lock-order "'g_power_mu' acquired while holding 'g_thermal_mu'"
  }
}

void suspend_bad() {
  LOCK(g_power_mu);
  g_power_state = 0;
  LOCK(g_thermal_mu);
  g_temperature = 0;
}

int power_state_ok() {
  WITH_LOCK(g_power_mu) { return g_power_state; }
  return -1;
}
