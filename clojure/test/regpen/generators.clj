(ns regpen.generators
  "conformance/SPEC.md §6.1's generated arrays, for the vector tests: an argument
  {\"generator\" name, \"seed\" s, \"n\" n} expanded to a double or float array, bit for bit as the
  oracle's conformance/oracle/generators.py does. All arithmetic is on 64-bit words mod 2^64.")

(set! *warn-on-reflection* true)

(defn- draw
  "splitmix64's output for element i: u_i from the state seed + (i + 1)·golden."
  ^long [^long seed ^long i]
  (let [z (unchecked-add seed (unchecked-multiply (inc i) (unchecked-long 0x9E3779B97F4A7C15)))
        z (unchecked-multiply (bit-xor z (unsigned-bit-shift-right z 30)) (unchecked-long 0xBF58476D1CE4E5B9))
        z (unchecked-multiply (bit-xor z (unsigned-bit-shift-right z 27)) (unchecked-long 0x94D049BB133111EB))]
    (bit-xor z (unsigned-bit-shift-right z 31))))

(def ^:private formats
  {"float64" {:width 64 :m 52 :bias 1023 :p 53 :k 200 :b 24}
   "float32" {:width 32 :m 23 :bias 127 :p 24 :k 60 :b 2}})

(defn- from-bits [dtype ^long bits]
  (if (= dtype "float32")
    (double (Float/intBitsToFloat (unchecked-int bits)))
    (Double/longBitsToDouble bits)))

(defn- random-normal
  "`unit` (exponent range 17, K = 8) and `wide` (2K + 1): sign, exponent and fraction from u."
  [dtype ^long u ^long k]
  (let [{:keys [^long width ^long m ^long bias]} (formats dtype)
        e (- (mod (mod (unsigned-bit-shift-right u 52) 2048) (inc (* 2 k))) k)]
    (from-bits dtype (bit-or (bit-shift-left (unsigned-bit-shift-right u 63) (dec width))
                             (bit-shift-left (+ e bias) m)
                             (bit-and u (dec (bit-shift-left 1 m)))))))

(defn- tie
  "`tie_abs` and `above_tie_abs`: integer magnitudes summing to the midpoint 2^p + 1 (plus
  `first-magnitude` in element 0), random signs."
  [dtype seed n first-magnitude]
  (let [{:keys [^long p ^long b]} (formats dtype)
        us (mapv #(draw seed %) (range n))
        ks (mapv #(inc (unsigned-bit-shift-right ^long (us %) (- 64 b))) (range 1 (dec n)))
        magnitudes (concat [first-magnitude] (map double ks)
                           [(double (- (inc (bit-shift-left 1 p)) (reduce + ks)))])]
    (map (fn [^long u ^double x] (if (odd? u) (- x) x)) us magnitudes)))

(defn expand
  "The array of `dtype` (\"float64\" or \"float32\") that the argument spec stands for."
  [{:strs [generator seed n]} dtype]
  (let [seed (.longValue (biginteger seed))
        n (long n)
        xs (case generator
             "unit" (map #(random-normal dtype (draw seed %) 8) (range n))
             "wide" (map #(random-normal dtype (draw seed %) (:k (formats dtype))) (range n))
             "tie_abs" (tie dtype seed n 0.0)
             "above_tie_abs" (tie dtype seed n (Math/scalb 1.0 (int -40))))]
    (if (= dtype "float32") (float-array xs) (double-array xs))))
