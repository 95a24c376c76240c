// LazyIndex: a map from an object's key to its position in a std::vector of a Catalog, built
// on the first lookup and rebuilt when the vector has grown, shrunk or moved, so that every
// Catalog::Find* is O(log n) instead of a linear scan (issue 14: the planner looks objects up
// once per object, which was O(n^2) at 10,000 tables).
//
// Lookups stay correct when the vector changes between them: a vector with another size or
// buffer gets a fresh index, and a hit is checked against the element it points at. An
// element renamed in place without any change of size is the one case a miss can be wrong;
// code that edits a catalog does so before looking objects up in it.
// Thread-safety: Find() may be called concurrently (the index is swapped atomically); a copy
// or assignment starts without an index (its vector is a different one).
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <vector>

namespace tenantshift {

template <typename Key>
class LazyIndex {
 public:
  LazyIndex() = default;
  LazyIndex(const LazyIndex&) {}
  LazyIndex& operator=(const LazyIndex&) {
    built_.store(nullptr);
    return *this;
  }
  // Indexes never make two catalogs differ.
  bool operator==(const LazyIndex&) const { return true; }

  // The first element of `items` whose get_key() equals `key`, or nullptr.
  template <typename T, typename GetKey>
  const T* Find(const std::vector<T>& items, const Key& key, GetKey get_key) const {
    std::shared_ptr<const Built> b = built_.load();
    if (!b || b->data != items.data() || b->size != items.size()) {
      auto fresh = std::make_shared<Built>();
      fresh->data = items.data();
      fresh->size = items.size();
      for (size_t i = 0; i < items.size(); ++i) fresh->pos.emplace(get_key(items[i]), i);
      built_.store(fresh);
      b = std::move(fresh);
    }
    auto it = b->pos.find(key);
    if (it == b->pos.end()) return nullptr;
    if (get_key(items[it->second]) == key) return &items[it->second];
    for (const T& item : items) {  // changed in place since the index was built
      if (get_key(item) == key) return &item;
    }
    return nullptr;
  }

 private:
  struct Built {
    const void* data = nullptr;  // the indexed vector's buffer and size when it was built
    size_t size = 0;
    std::map<Key, size_t> pos;  // key -> position of its first element
  };
  mutable std::atomic<std::shared_ptr<const Built>> built_;
};

}  // namespace tenantshift
