// STUB: replaced by the store work.
namespace carefinder::store {}
