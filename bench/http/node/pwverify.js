// Password verification off the event loop, the way the course's
// bcrypt.compare() runs on libuv's thread pool: a few worker threads, each
// with its own libsodium (wasm) instance, verify argon2id strings written by
// libsodium's crypto_pwhash_str (what bloglist stores).
const { Worker, isMainThread, parentPort } = require('node:worker_threads')

if (!isMainThread) {
  const sodium = require('libsodium-wrappers-sumo')
  sodium.ready.then(() => {
    parentPort.on('message', ({ id, hash, password }) => {
      let ok = false
      try {
        ok = sodium.crypto_pwhash_str_verify(hash, password)
      } catch {
        ok = false
      }
      parentPort.postMessage({ id, ok })
    })
  })
} else {
  const size = Number(process.env.HASH_THREADS || process.env.UV_THREADPOOL_SIZE || 4)
  const workers = []
  const idle = []
  const queue = []
  const waiting = new Map()
  let nextId = 1

  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()
      w.postMessage(queue.shift())
    }
  }

  for (let i = 0; i < size; i++) {
    const w = new Worker(__filename)
    w.unref()
    w.on('message', ({ id, ok }) => {
      const resolve = waiting.get(id)
      waiting.delete(id)
      idle.push(w)
      dispatch()
      resolve(ok)
    })
    workers.push(w)
    idle.push(w)
  }

  const verify = (hash, password) =>
    new Promise((resolve) => {
      const id = nextId++
      waiting.set(id, resolve)
      queue.push({ id, hash, password })
      dispatch()
    })

  module.exports = { verify }
}
