(ns regpen.core
  "regpen in Clojure: L1, L2 and Elastic Net regularization penalties with bit-identical results
  across languages, following conformance/SPEC.md step by step.

    (require '[regpen.core :as rp])
    (rp/value (rp/l1 0.01) [0.5 -1.5])                 ;=> 0.02
    (rp/gradient (rp/l2 0.5 :penalty-factor [0 1]) (double-array [3 4]))
    (rp/prox (rp/elastic-net 0.1 0.01) (float-array [1 -2]) 0.5)
    (rp/compute-loss y-true y-pred w (rp/l1 0.01))
    (rp/from-config (rp/to-config (rp/elastic-net 0.1 0.01)))

  Weights are double or float arrays, or seqs of Doubles or Floats. The element type is the working
  format: float arrays compute in binary32 and return float arrays, seqs return vectors. Errors are
  ex-info carrying {:regpen/code :invalid-lambda} (SPEC §4's codes, underscores as hyphens)."
  (:require [clojure.data.json :as json]
            [clojure.string :as str]
            [clojure.walk :as walk]
            [regpen.exact :as exact])
  (:import (java.math BigDecimal MathContext RoundingMode)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------------------------
;; Errors

(defn- fail
  "Throws SPEC §4's error `code` (a keyword such as :invalid-lambda) as ex-info."
  [code message & {:as data}]
  (throw (ex-info (str (name code) ": " message) (assoc data :regpen/code code))))

;; ---------------------------------------------------------------------------------------------
;; Working formats

(defmacro ^:private rnd
  "One IEEE operation's result in the working format. Binary32 steps are computed in binary64 and
  rounded once to binary32: for one +, −, × or ÷ on binary32 operands this equals the binary32
  operation, because binary64 has more than 2·24 + 2 bits."
  [f32? x]
  `(let [x# ~x] (if ~f32? (double (unchecked-float x#)) x#)))

(defn- in-format
  "A binary64 parameter, factor or step as the working format sees it: RN32 for float32."
  ^double [f32? ^double x]
  (rnd f32? x))

(defn- float-element? [x] (instance? Float x))

(defn- f32? [dtype] (= dtype :float32))

(defn- coerce
  "An input as {:dtype :float64|:float32|nil, :data array, :kind :doubles|:floats|:seq}: arrays as
  they are (read in place), seqs as a new double or float array. The dtype of an empty seq is nil:
  it has no elements to disagree with another argument's."
  [x]
  (cond
    (instance? double/1 x) {:dtype :float64 :data x :kind :doubles}
    (instance? float/1 x) {:dtype :float32 :data x :kind :floats}
    (or (nil? x) (sequential? x) (instance? java.util.List x))
    (let [xs (vec x)
          dtype (cond (empty? xs) nil
                      (every? #(instance? Double %) xs) :float64
                      (every? float-element? xs) :float32
                      :else (fail :invalid-dtype
                                  "elements must all be Doubles or all Floats"))]
      {:dtype dtype :data (if (f32? dtype) (float-array xs) (double-array xs)) :kind :seq})
    :else (fail :invalid-dtype (str "expected a double/float array or a seq, got " (type x)))))

(defn- output
  "Results (an array of the input's element type) in the shape of the input: arrays as they are,
  a vector for a seq."
  [{:keys [kind]} out]
  (if (= kind :seq) (vec out) out))

(defn- scalar
  "A reduction's result as the working format's boxed type (Float for float32)."
  [dtype ^double x]
  (if (f32? dtype) (unchecked-float x) x))

;; ---------------------------------------------------------------------------------------------
;; Parameters

(defn- nonneg-finite? [^double x] (and (Double/isFinite x) (>= x 0.0)))

(defn- check-param
  "A penalty parameter as a binary64 ≥ 0, with −0 stored as +0 (SPEC §1)."
  [code what x]
  (if (and (number? x) (nonneg-finite? (double x)))
    (+ (double x) 0.0)
    (fail code (str what " must be a finite number >= 0, got " (pr-str x)) :value x)))

(defn- check-factors
  "Penalty factors as a vector of binary64 ≥ 0 (−0 stored as +0), or nil when absent."
  [factors]
  (when (some? factors)
    (when-not (or (sequential? factors) (instance? java.util.List factors)
                  (.isArray (class factors)))
      (fail :invalid-penalty-factor "penalty-factor must be a sequence of numbers"))
    (mapv #(check-param :invalid-penalty-factor "a penalty factor" %) factors)))

(defn- factors-for
  "The penalty's factors for n weights in the working format (nil when it has none)."
  [penalty n f32?]
  (when-let [pf (:penalty-factor penalty)]
    (when (not= (count pf) n)
      (fail :shape-mismatch (str "penalty-factor has " (count pf) " entries for " n " weights")))
    (let [a (double-array pf)]
      (when f32? (dotimes [i (alength a)] (aset a i (in-format true (aget a i)))))
      a)))

;; ---------------------------------------------------------------------------------------------
;; Element-wise steps shared by the penalties (SPEC §3)

(defmacro ^:private factor
  "f_i, or 1 without factors. A macro, so that hot loops make no call through a var."
  [f i]
  `(if ~f (aget ~f ~i) 1.0))

(defmacro ^:private elem
  "a_i as a double, for a double or a float array a (its type hint picks the aget)."
  [a i]
  `(double (aget ~a ~i)))

(defmacro ^:private store-double [a i x] `(aset ~a ~i ~x))

(defmacro ^:private store-float
  "Stores a working-format value (a double holding a binary32 number, so the cast is exact)."
  [a i x]
  `(aset ~a ~i (unchecked-float ~x)))

(defmacro ^:private defelementwise
  "Defines an element-wise step once for double and once for float arrays, so that float32 data is
  read and written in place rather than widened and narrowed. In `body`, (as-array a) casts an
  argument to the array type, (new-array n) makes one, (store a i x) writes x (a double holding a
  working-format value). The defined function dispatches on the type of its argument `on`."
  [name doc on params & body]
  (let [variant (fn [suffix replacements]
                  `(defn- ~(symbol (str name suffix)) ~params
                     ~@(walk/postwalk-replace replacements body)))
        args (mapv #(with-meta % nil) params)]
    `(do
       ~(variant "-doubles" {'as-array `doubles 'new-array `double-array 'store `store-double})
       ~(variant "-floats" {'as-array `floats 'new-array `float-array 'store `store-float})
       (defn- ~name ~doc ~args
         (if (instance? float/1 ~on)
           (~(symbol (str name "-floats")) ~@args)
           (~(symbol (str name "-doubles")) ~@args))))))

(defelementwise l1-gradient
  "c_i = lam·f_i; g_i = c_i, −c_i, +0 or NaN by the sign of w_i."
  w [f32? ^double lam w ^doubles f]
  (let [w (as-array w)
        out (new-array (alength w))]
    (dotimes [i (alength w)]
      (let [c (rnd f32? (* lam (factor f i)))
            x (elem w i)]
        ;; copySign is c or −c (IEEE negation) by the sign of a non-zero x; zeros and NaN are the
        ;; rare cases, so this branch is predictable where a test on the sign would not be.
        (store out i (if (or (== x 0.0) (Double/isNaN x))
                       (if (== x 0.0) 0.0 Double/NaN)
                       (Math/copySign c x)))))
    out))

(defelementwise l2-gradient
  "c = 2·lam, c_i = c·f_i, g_i = c_i·w_i."
  w [f32? ^double lam w ^doubles f]
  (let [w (as-array w)
        out (new-array (alength w))
        c (rnd f32? (* 2.0 lam))]
    (dotimes [i (alength w)]
      (store out i (rnd f32? (* (rnd f32? (* c (factor f i))) (elem w i)))))
    out))

(defelementwise soft-threshold
  "w_i moved towards zero by t_i = (step·lam)·f_i, never across it (keeping the sign of zero)."
  w [f32? lam w ^doubles f step]
  (let [w (as-array w)
        out (new-array (alength w))
        t (rnd f32? (* (double step) (double lam)))]
    (dotimes [i (alength w)]
      (let [x (elem w i)
            d (rnd f32? (- (Math/abs x) (rnd f32? (* t (factor f i)))))]
        (store out i (if (Double/isNaN d)
                       Double/NaN
                       (Math/copySign (if (> d 0.0) d 0.0) x)))))
    out))

(defelementwise shrink
  "x_i / (1 + k_i) with k = step·(2·lam), k_i = k·f_i: L2's proximal step, into a new array."
  x [f32? lam x ^doubles f step]
  (let [x (as-array x)
        out (new-array (alength x))
        k (rnd f32? (* (double step) (rnd f32? (* 2.0 (double lam)))))]
    (dotimes [i (alength x)]
      (store out i (rnd f32? (/ (elem x i) (rnd f32? (+ 1.0 (rnd f32? (* k (factor f i)))))))))
    out))

(defelementwise add-elementwise
  "a_i + b_i in the working format, in place in a (b has a's type)."
  a [f32? a b]
  (let [a (as-array a)
        b (as-array b)]
    (dotimes [i (alength a)]
      (store a i (rnd f32? (+ (elem a i) (elem b i)))))
    a))

(defn- format-name [f32?] (if f32? :float32 :float64))

(defn- scaled-sum
  "fl(c × S) for the correctly rounded reduction S of `kind` over w (a double or float array)."
  [f32? c kind w ^doubles f]
  (rnd f32? (* (double c) (exact/sum kind w f (format-name f32?)))))

;; ---------------------------------------------------------------------------------------------
;; Penalties

(defprotocol Penalty
  "A regularization penalty. The public functions below check and convert their inputs, then call
  these with the working format (f32? true for binary32), the weights (a double array, or a float
  array for float32) and the factors in the working format (nil when absent). Results are arrays
  of the weights' type."
  (-value [p f32? w f] "The penalty's value, a double holding a working-format number.")
  (-gradient [p f32? w f] "The (sub)gradient as a fresh array.")
  (-prox [p f32? w f step] "The proximal step as a fresh array.")
  (config [p] "The penalty as configuration data: a map with string keys, as in its JSON."))

(defn- with-factors [m {:keys [penalty-factor]}]
  (cond-> m penalty-factor (assoc "penalty_factor" penalty-factor)))

(defrecord L1 [lam penalty-factor]
  Penalty
  (-value [_ f32? w f] (scaled-sum f32? (in-format f32? lam) :abs w f))
  (-gradient [_ f32? w f] (l1-gradient f32? (in-format f32? lam) w f))
  (-prox [_ f32? w f step] (soft-threshold f32? (in-format f32? lam) w f step))
  (config [p] (with-factors {"type" "l1" "lam" lam} p)))

(defrecord L2 [lam penalty-factor]
  Penalty
  (-value [_ f32? w f] (scaled-sum f32? (in-format f32? lam) :squares w f))
  (-gradient [_ f32? w f] (l2-gradient f32? (in-format f32? lam) w f))
  (-prox [_ f32? w f step] (shrink f32? (in-format f32? lam) w f step))
  (config [p] (with-factors {"type" "l2" "lam" lam} p)))

(defrecord ElasticNet [l1 l2 penalty-factor]
  Penalty
  (-value [_ f32? w f]
    (rnd f32? (+ (double (scaled-sum f32? (in-format f32? l1) :abs w f))
                 (double (scaled-sum f32? (in-format f32? l2) :squares w f)))))
  (-gradient [_ f32? w f]
    (add-elementwise f32? (l1-gradient f32? (in-format f32? l1) w f)
                     (l2-gradient f32? (in-format f32? l2) w f)))
  (-prox [_ f32? w f step]
    (shrink f32? (in-format f32? l2) (soft-threshold f32? (in-format f32? l1) w f step) f step))
  (config [p] (with-factors {"type" "elastic_net" "l1" l1 "l2" l2} p)))

(defn l1
  "The L1 penalty lam·Σ f_i·|w_i|. Option :penalty-factor, per-weight factors f_i ≥ 0 (default 1)."
  [lam & {:keys [penalty-factor]}]
  (->L1 (check-param :invalid-lambda "lam" lam) (check-factors penalty-factor)))

(defn l2
  "The L2 penalty lam·Σ f_i·w_i² (no ½). Option :penalty-factor as for `l1`."
  [lam & {:keys [penalty-factor]}]
  (->L2 (check-param :invalid-lambda "lam" lam) (check-factors penalty-factor)))

(defn elastic-net
  "The Elastic Net penalty l1·Σ f_i·|w_i| + l2·Σ f_i·w_i². Option :penalty-factor as for `l1`."
  [l1 l2 & {:keys [penalty-factor]}]
  (->ElasticNet (check-param :invalid-lambda "l1" l1) (check-param :invalid-lambda "l2" l2)
                (check-factors penalty-factor)))

;; ---------------------------------------------------------------------------------------------
;; Operations

(defn value
  "The penalty's value at weights w: a Double, or a Float for float32 weights."
  [penalty w]
  (let [{:keys [dtype data]} (coerce w)
        f32? (f32? dtype)]
    (scalar dtype (-value penalty f32? data (factors-for penalty (count data) f32?)))))

(defn gradient
  "The penalty's (sub)gradient at w, in w's shape and format (+0 at w_i = ±0 for L1)."
  [penalty w]
  (let [{:keys [dtype data] :as in} (coerce w)
        f32? (f32? dtype)]
    (output in (-gradient penalty f32? data (factors-for penalty (count data) f32?)))))

(defn prox
  "The proximal operator of step·penalty at w, in w's shape and format. step: finite, ≥ 0."
  [penalty w step]
  (let [{:keys [dtype data] :as in} (coerce w)
        f32? (f32? dtype)
        step (if (and (number? step) (nonneg-finite? (double step)))
               (in-format f32? (double step))
               (fail :invalid-step (str "step must be a finite number >= 0, got " (pr-str step))))]
    (output in (-prox penalty f32? data (factors-for penalty (count data) f32?) step))))

(defn compute-loss
  "Mean squared error of y-pred against y-true plus the penalty's value at w. All three share one
  dtype; y-true and y-pred have the same, non-zero length; w may have any length."
  [y-true y-pred w penalty]
  (let [inputs (map coerce [y-true y-pred w])
        dtypes (set (keep :dtype inputs))
        _ (when (> (count dtypes) 1)
            (fail :invalid-dtype (str "mixed dtypes in one call: " dtypes)))
        dtype (or (first dtypes) :float64)
        f32? (f32? dtype)
        [y p ws] (map :data inputs)
        ^doubles y (exact/widen y)
        ^doubles p (exact/widen p)
        n (alength y)]
    (when (not= n (alength p))
      (fail :shape-mismatch (str "y-true has " n " values, y-pred " (alength p))))
    (let [f (factors-for penalty (count ws) f32?)]
      (when (zero? n) (fail :empty-input "no samples"))
      (let [r (double-array n)]
        (dotimes [i n] (aset r i (rnd f32? (- (aget y i) (aget p i)))))
        (let [sse (exact/sum :squares r nil (format-name f32?))
              mse (rnd f32? (/ sse (rnd f32? (double n))))]
          (scalar dtype (rnd f32? (+ mse (double (-value penalty f32? ws f))))))))))

(defn l1-regularization
  "The seed's helper done right: lambda·Σ|w_i| correctly rounded in binary64, that is
  (value (l1 lambda) weights) with the weights taken as float64."
  [weights lambda]
  (let [{:keys [data]} (coerce weights)]
    (-value (l1 lambda) false data nil)))

;; ---------------------------------------------------------------------------------------------
;; Configuration (JSON)

(defn- shortest-decimal
  "The shortest decimal that reads back to x (a finite double): the first precision at which the
  correctly rounded decimal of x parses to x again."
  ^BigDecimal [^double x]
  (let [exact (BigDecimal. x)]
    (or (some (fn [digits]
                (let [d (.round exact (MathContext. (int digits) RoundingMode/HALF_EVEN))]
                  (when (== (Double/parseDouble (str d)) x)
                    (.stripTrailingZeros d))))
              (range 1 18))
        exact)))

(defn to-config
  "The penalty as JSON text, e.g. {\"type\":\"l1\",\"lam\":0.01}, with numbers in their shortest
  round-trip form."
  [penalty]
  (json/write-str
   (update-vals (config penalty)
                (fn [v] (cond (number? v) (shortest-decimal v)
                              (sequential? v) (mapv shortest-decimal v)
                              :else v)))))

(def ^:private config-keys
  {"l1" #{"lam"} "l2" #{"lam"} "elastic_net" #{"l1" "l2"}})

(defn- config-number [k v]
  (if (number? v)
    (double v)
    (fail :invalid-config (str k " must be a number, got " (pr-str v)))))

(defn- only-whitespace-after
  "data.json's hook for text after the first value: JSON allows whitespace there, nothing else."
  [value ^java.io.Reader more]
  (if (str/blank? (slurp more))
    value
    (throw (ex-info "extra data after the JSON value" {}))))

(defn from-config
  "The penalty described by JSON text s (as written by `to-config`), or by the same configuration
  as data (a map with string keys, as `config` returns). Unreadable or malformed configurations are
  :invalid-config; well-formed ones with bad values get the constructor's code."
  [s]
  (let [m (if (map? s)
            s
            (try (json/read-str s :extra-data-fn only-whitespace-after)
                 (catch Exception e (fail :invalid-config (str "not JSON: " (ex-message e))))))
        _ (when-not (map? m) (fail :invalid-config "not a JSON object"))
        type (get m "type")
        required (or (config-keys type) (fail :invalid-config (str "unknown type " (pr-str type))))
        allowed (conj required "type" "penalty_factor")
        unknown (remove allowed (keys m))
        missing (remove #(contains? m %) required)
        _ (when (seq unknown) (fail :invalid-config (str "unknown keys " (vec unknown))))
        _ (when (seq missing) (fail :invalid-config (str "missing keys " (vec missing))))
        params (into {} (for [k required] [k (config-number k (get m k))]))
        factors (when (contains? m "penalty_factor")
                  (let [pf (get m "penalty_factor")]
                    (when-not (sequential? pf)
                      (fail :invalid-config "penalty_factor must be a list of numbers"))
                    (mapv #(config-number "penalty_factor" %) pf)))
        opts (if factors [:penalty-factor factors] [])]
    (case type
      "l1" (apply l1 (params "lam") opts)
      "l2" (apply l2 (params "lam") opts)
      "elastic_net" (apply elastic-net (params "l1") (params "l2") opts))))

;; ---------------------------------------------------------------------------------------------
;; Conversions from other libraries' conventions (SPEC §3's table, binary64 steps in its order)

(defn- convention-input
  "A converter input within [lo, hi], or :invalid-lambda."
  ^double [what x ^double lo ^double hi]
  (if (and (number? x) (Double/isFinite (double x)) (<= lo (double x) hi))
    (double x)
    (fail :invalid-lambda (str what " must be a finite number in [" lo ", " hi "], got " (pr-str x)))))

(defn from-sklearn
  "scikit-learn ElasticNet/Lasso(alpha, l1_ratio) as the Elastic Net with twice its objective."
  [alpha l1-ratio]
  (let [alpha (convention-input "alpha" alpha 0.0 Double/MAX_VALUE)
        ratio (convention-input "l1_ratio" l1-ratio 0.0 1.0)]
    (elastic-net (* (* 2.0 alpha) ratio) (* alpha (- 1.0 ratio)))))

(defn from-glmnet
  "glmnet (gaussian) lambda and alpha as the Elastic Net with twice its objective."
  [lambda alpha]
  (let [lambda (convention-input "lambda" lambda 0.0 Double/MAX_VALUE)
        alpha (convention-input "alpha" alpha 0.0 1.0)]
    (elastic-net (* (* 2.0 lambda) alpha) (* lambda (- 1.0 alpha)))))

(defn from-keras
  "Keras L1L2(l1, l2): the same objective, so the same numbers."
  [l1 l2]
  (elastic-net (convention-input "l1" l1 0.0 Double/MAX_VALUE)
               (convention-input "l2" l2 0.0 Double/MAX_VALUE)))

(defn from-torch-weight-decay
  "PyTorch's weight_decay adds weight_decay·w to the gradient: the gradient of L2(weight_decay/2)."
  [weight-decay]
  (l2 (/ (convention-input "weight_decay" weight-decay 0.0 Double/MAX_VALUE) 2.0)))
