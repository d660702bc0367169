// RUN: octet-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect

func.func @conv_rank(%x: tensor<3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects rank-4 NCHW input, got rank 3}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w : (tensor<3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects rank-4 weight [O, C/group, kH, kW], got rank 3}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w : (tensor<1x3x32x32xf32>, tensor<16x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects 2 strides, got 3}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_dilations(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects 2 dilations, got 1}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w {dilations = array<i64: 1>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_pads(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects 4 pads [top, left, bottom, right], got 2}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_zero_stride(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects positive strides, got [0, 1]}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_zero_dilation(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects positive dilations, got [1, 0]}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w {dilations = array<i64: 1, 0>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_negative_pad(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects non-negative pads, got [0, -1, 0, 0]}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w {pads = array<i64: 0, -1, 0, 0>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_group(%x: tensor<1x4x32x32xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects a positive group count, got 0}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w {group = 0 : i64} : (tensor<1x4x32x32xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x30x30xf32>
  return
}

// -----

func.func @conv_group_divides(%x: tensor<1x6x32x32xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects input channels (6) and output channels (4) divisible by group (3)}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w {group = 3 : i64} : (tensor<1x6x32x32xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x30x30xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x3x32x32xf32>, %w: tensor<16x4x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects weight dim 1 (4) times group (1) to equal input channels (3)}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w : (tensor<1x3x32x32xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects bias of shape [16], got [8]}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w, %b : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<8xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @conv_kernel_too_big(%x: tensor<1x3x2x2xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op expects the dilated kernel to fit the padded input, got input [1, 3, 2, 2] and weight [16, 3, 3, 3]}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w : (tensor<1x3x2x2xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x1x1xf32>
  return
}

// -----

func.func @conv_element_types(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf16>) {
  // expected-error @+2 {{'octet.conv2d' op expects operands of one element type, got 'f32' and 'f16'}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf16>) -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv_result(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'octet.conv2d' op inferred type(s) 'tensor<1x16x30x30xf32>' are incompatible with return type(s) of operation 'tensor<1x16x32x32xf32>'}}
  // expected-error @+1 {{'octet.conv2d' op failed to infer returned types}}
  %0 = octet.conv2d %x, %w : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x32x32xf32>
  return
}

// -----

func.func @conv_dynamic(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'octet.conv2d' op operand #0 must be statically shaped tensor of floating-point values}}
  %0 = octet.conv2d %x, %w : (tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return
}

// -----

func.func @activation_params() {
  // expected-error @+1 {{activation 'relu' takes no parameters}}
  "test.use"() {act = #octet.act<relu, 1.0, 0.0>} : () -> ()
  return
}

// -----

func.func @activation_clip() {
  // expected-error @+1 {{clip activation expects min <= max, got 6.000000e+00 > 0.000000e+00}}
  "test.use"() {act = #octet.act<clip, 6.0, 0.0>} : () -> ()
  return
}

// -----

func.func @matmul_rank(%a: tensor<f32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'octet.matmul' op expects operands of rank >= 1}}
  // expected-error @+1 {{'octet.matmul' op failed to infer returned types}}
  %0 = octet.matmul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

func.func @matmul_k(%a: tensor<3x5xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+2 {{'octet.matmul' op expects matching contraction dimensions, got [3, 5] and [4, 2]}}
  // expected-error @+1 {{'octet.matmul' op failed to infer returned types}}
  %0 = octet.matmul %a, %b : (tensor<3x5xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x5xf32>, %b: tensor<3x5x2xf32>) {
  // expected-error @+2 {{'octet.matmul' op expects broadcastable shapes, got [2] and [3]}}
  // expected-error @+1 {{'octet.matmul' op failed to infer returned types}}
  %0 = octet.matmul %a, %b : (tensor<2x3x5xf32>, tensor<3x5x2xf32>) -> tensor<2x3x2xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'octet.gemm' op expects rank-2 A and B, got ranks 3 and 2}}
  // expected-error @+1 {{'octet.gemm' op failed to infer returned types}}
  %0 = octet.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @gemm_k(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) {
  // expected-error @+2 {{'octet.gemm' op expects matching contraction dimensions, got A [3, 4] and B [5, 6]}}
  // expected-error @+1 {{'octet.gemm' op failed to infer returned types}}
  %0 = octet.gemm %a, %b : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<3x6xf32>
  return
}

// -----

func.func @gemm_c(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x5xf32>) {
  // expected-error @+2 {{'octet.gemm' op expects C broadcastable to [3, 5], got [2, 5]}}
  // expected-error @+1 {{'octet.gemm' op failed to infer returned types}}
  %0 = octet.gemm %a, %b, %c : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<2x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<16xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{'octet.batch_norm' op expects an input of rank >= 2 [N, C, ...], got rank 1}}
  %0 = octet.batch_norm %x, %p, %p, %p, %p : tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_params(%x: tensor<1x16x4x4xf32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{'octet.batch_norm' op expects parameters of shape [16], got [8]}}
  %0 = octet.batch_norm %x, %p, %p, %p, %p : tensor<1x16x4x4xf32>, tensor<8xf32>
  return
}

// -----

func.func @batch_norm_param_types(%x: tensor<1x16x4x4xf32>, %p: tensor<16xf32>, %q: tensor<8xf32>) {
  // expected-error @+1 {{'octet.batch_norm' op failed to verify that all of {scale, bias, mean, variance} have same type}}
  %0 = "octet.batch_norm"(%x, %p, %q, %p, %p) : (tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<8xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+2 {{'octet.layer_norm' op expects axis in [0, 2), got 2}}
  // expected-error @+1 {{'octet.layer_norm' op failed to infer returned types}}
  %0 = octet.layer_norm %x, %g {axis = 2 : i64} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_scale(%x: tensor<2x8xf32>, %g: tensor<4xf32>) {
  // expected-error @+2 {{'octet.layer_norm' op expects scale of shape [8], got [4]}}
  // expected-error @+1 {{'octet.layer_norm' op failed to infer returned types}}
  %0 = octet.layer_norm %x, %g {axis = 1 : i64} : (tensor<2x8xf32>, tensor<4xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_bias(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<2x8xf32>) {
  // expected-error @+2 {{'octet.layer_norm' op expects bias of shape [8], got [2, 8]}}
  // expected-error @+1 {{'octet.layer_norm' op failed to infer returned types}}
  %0 = octet.layer_norm %x, %g, %b {axis = 1 : i64} : (tensor<2x8xf32>, tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @pool_rank(%x: tensor<1x8x8xf32>) {
  // expected-error @+2 {{'octet.max_pool' op expects rank-4 NCHW input, got rank 3}}
  // expected-error @+1 {{'octet.max_pool' op failed to infer returned types}}
  %0 = octet.max_pool %x {kernel_shape = array<i64: 2, 2>} : tensor<1x8x8xf32> -> tensor<1x4x4xf32>
  return
}

// -----

func.func @pool_kernel(%x: tensor<1x1x8x8xf32>) {
  // expected-error @+2 {{'octet.max_pool' op expects a 2-D kernel_shape, got [2]}}
  // expected-error @+1 {{'octet.max_pool' op failed to infer returned types}}
  %0 = octet.max_pool %x {kernel_shape = array<i64: 2>} : tensor<1x1x8x8xf32> -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @pool_kernel_positive(%x: tensor<1x1x8x8xf32>) {
  // expected-error @+2 {{'octet.avg_pool' op expects a positive kernel_shape, got [0, 2]}}
  // expected-error @+1 {{'octet.avg_pool' op failed to infer returned types}}
  %0 = octet.avg_pool %x {kernel_shape = array<i64: 0, 2>} : tensor<1x1x8x8xf32> -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @pool_pads(%x: tensor<1x1x8x8xf32>) {
  // expected-error @+2 {{'octet.max_pool' op expects pads smaller than the kernel, got pads [2, 0, 0, 0] and kernel_shape [2, 2]}}
  // expected-error @+1 {{'octet.max_pool' op failed to infer returned types}}
  %0 = octet.max_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>} : tensor<1x1x8x8xf32> -> tensor<1x1x5x4xf32>
  return
}

// -----

func.func @pool_fit(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+2 {{'octet.max_pool' op expects the window to fit the padded input, got input [1, 1, 2, 2] and kernel_shape [3, 3]}}
  // expected-error @+1 {{'octet.max_pool' op failed to infer returned types}}
  %0 = octet.max_pool %x {kernel_shape = array<i64: 3, 3>} : tensor<1x1x2x2xf32> -> tensor<1x1x1x1xf32>
  return
}

// -----

func.func @global_pool_rank(%x: tensor<1x8xf32>) {
  // expected-error @+2 {{'octet.global_avg_pool' op expects an input of rank >= 3 [N, C, ...], got rank 2}}
  // expected-error @+1 {{'octet.global_avg_pool' op failed to infer returned types}}
  %0 = octet.global_avg_pool %x : tensor<1x8xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{'octet.softmax' op expects axis in [0, 2), got 2}}
  %0 = octet.softmax %x {axis = 2 : i64} : tensor<2x10xf32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{'octet.log_softmax' op expects axis in [0, 2), got -1}}
  %0 = octet.log_softmax %x {axis = -1 : i64} : tensor<2x10xf32>
  return
}

// -----

func.func @gru_hidden(%x: tensor<24x1x4xf32>, %w: tensor<1x96x4xf32>, %r: tensor<1x96x32xf32>) {
  // expected-error @+2 {{'octet.gru' op expects a positive hidden_size, got 0}}
  // expected-error @+1 {{'octet.gru' op failed to infer returned types}}
  %y, %h = octet.gru %x, %w, %r {hidden_size = 0 : i64}
      : (tensor<24x1x4xf32>, tensor<1x96x4xf32>, tensor<1x96x32xf32>) -> (tensor<24x1x1x32xf32>, tensor<1x1x32xf32>)
  return
}

// -----

func.func @gru_x(%x: tensor<24x4xf32>, %w: tensor<1x96x4xf32>, %r: tensor<1x96x32xf32>) {
  // expected-error @+2 {{'octet.gru' op expects x of rank 3 [seq, batch, input], got [24, 4]}}
  // expected-error @+1 {{'octet.gru' op failed to infer returned types}}
  %y, %h = octet.gru %x, %w, %r {hidden_size = 32 : i64}
      : (tensor<24x4xf32>, tensor<1x96x4xf32>, tensor<1x96x32xf32>) -> (tensor<24x1x1x32xf32>, tensor<1x1x32xf32>)
  return
}

// -----

func.func @gru_w(%x: tensor<24x1x4xf32>, %w: tensor<1x128x4xf32>, %r: tensor<1x96x32xf32>) {
  // expected-error @+2 {{'octet.gru' op expects w of shape [1, 96, 4], got [1, 128, 4]}}
  // expected-error @+1 {{'octet.gru' op failed to infer returned types}}
  %y, %h = octet.gru %x, %w, %r {hidden_size = 32 : i64}
      : (tensor<24x1x4xf32>, tensor<1x128x4xf32>, tensor<1x96x32xf32>) -> (tensor<24x1x1x32xf32>, tensor<1x1x32xf32>)
  return
}

// -----

func.func @gru_r(%x: tensor<24x1x4xf32>, %w: tensor<1x96x4xf32>, %r: tensor<1x96x4xf32>) {
  // expected-error @+2 {{'octet.gru' op expects r of shape [1, 96, 32], got [1, 96, 4]}}
  // expected-error @+1 {{'octet.gru' op failed to infer returned types}}
  %y, %h = octet.gru %x, %w, %r {hidden_size = 32 : i64}
      : (tensor<24x1x4xf32>, tensor<1x96x4xf32>, tensor<1x96x4xf32>) -> (tensor<24x1x1x32xf32>, tensor<1x1x32xf32>)
  return
}

// -----

func.func @gru_bias(%x: tensor<24x1x4xf32>, %w: tensor<1x96x4xf32>, %r: tensor<1x96x32xf32>, %b: tensor<1x96xf32>) {
  // expected-error @+2 {{'octet.gru' op expects bias of shape [1, 192], got [1, 96]}}
  // expected-error @+1 {{'octet.gru' op failed to infer returned types}}
  %y, %h = octet.gru %x, %w, %r bias %b {hidden_size = 32 : i64}
      : (tensor<24x1x4xf32>, tensor<1x96x4xf32>, tensor<1x96x32xf32>, tensor<1x96xf32>) -> (tensor<24x1x1x32xf32>, tensor<1x1x32xf32>)
  return
}

// -----

func.func @gru_bidirectional(%x: tensor<24x1x4xf32>, %w: tensor<1x96x4xf32>, %r: tensor<1x96x32xf32>) {
  // expected-error @+2 {{'octet.gru' op expects w of shape [2, 96, 4], got [1, 96, 4]}}
  // expected-error @+1 {{'octet.gru' op failed to infer returned types}}
  %y, %h = octet.gru %x, %w, %r {hidden_size = 32 : i64, direction = #octet.rnn_direction<bidirectional>}
      : (tensor<24x1x4xf32>, tensor<1x96x4xf32>, tensor<1x96x32xf32>) -> (tensor<24x2x1x32xf32>, tensor<2x1x32xf32>)
  return
}

// -----

func.func @lstm_initial_h(%x: tensor<10x2x8xf32>, %w: tensor<1x64x8xf32>, %r: tensor<1x64x16xf32>, %h: tensor<1x1x16xf32>) {
  // expected-error @+2 {{'octet.lstm' op expects initial_h of shape [1, 2, 16], got [1, 1, 16]}}
  // expected-error @+1 {{'octet.lstm' op failed to infer returned types}}
  %y, %yh, %yc = octet.lstm %x, %w, %r initial_h %h {hidden_size = 16 : i64}
      : (tensor<10x2x8xf32>, tensor<1x64x8xf32>, tensor<1x64x16xf32>, tensor<1x1x16xf32>)
      -> (tensor<10x1x2x16xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>)
  return
}

// -----

func.func @lstm_initial_c(%x: tensor<10x2x8xf32>, %w: tensor<1x64x8xf32>, %r: tensor<1x64x16xf32>, %c: tensor<2x16xf32>) {
  // expected-error @+2 {{'octet.lstm' op expects initial_c of shape [1, 2, 16], got [2, 16]}}
  // expected-error @+1 {{'octet.lstm' op failed to infer returned types}}
  %y, %yh, %yc = octet.lstm %x, %w, %r initial_c %c {hidden_size = 16 : i64}
      : (tensor<10x2x8xf32>, tensor<1x64x8xf32>, tensor<1x64x16xf32>, tensor<2x16xf32>)
      -> (tensor<10x1x2x16xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>)
  return
}

// -----

func.func @lstm_peepholes(%x: tensor<10x2x8xf32>, %w: tensor<1x64x8xf32>, %r: tensor<1x64x16xf32>, %p: tensor<1x64xf32>) {
  // expected-error @+2 {{'octet.lstm' op expects peepholes of shape [1, 48], got [1, 64]}}
  // expected-error @+1 {{'octet.lstm' op failed to infer returned types}}
  %y, %yh, %yc = octet.lstm %x, %w, %r peepholes %p {hidden_size = 16 : i64}
      : (tensor<10x2x8xf32>, tensor<1x64x8xf32>, tensor<1x64x16xf32>, tensor<1x64xf32>)
      -> (tensor<10x1x2x16xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>)
  return
}

// -----

func.func @add_broadcast(%x: tensor<2x3xf32>, %y: tensor<4xf32>) {
  // expected-error @+2 {{'octet.add' op expects broadcastable shapes, got [2, 3] and [4]}}
  // expected-error @+1 {{'octet.add' op failed to infer returned types}}
  %0 = octet.add %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @mul_types(%x: tensor<2x3xf32>, %y: tensor<2x3xf16>) {
  // expected-error @+2 {{'octet.mul' op expects operands of one element type, got 'f32' and 'f16'}}
  // expected-error @+1 {{'octet.mul' op failed to infer returned types}}
  %0 = octet.mul %x, %y : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<2x3xf32>
  return
}

// -----

func.func @div_int(%x: tensor<2xi32>, %y: tensor<2xi32>) {
  // expected-error @+1 {{'octet.div' op operand #0 must be statically shaped tensor of floating-point values}}
  %0 = "octet.div"(%x, %y) : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return
}

// -----

func.func @clip_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{'octet.clip' op expects min <= max, got 6.000000e+00 > 0.000000e+00}}
  %0 = octet.clip %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @relu_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'octet.relu' op requires the same type for all operands and results}}
  %0 = "octet.relu"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @reduce_axes_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'octet.reduce_sum' op expects axes in [0, 2), got 2}}
  // expected-error @+1 {{'octet.reduce_sum' op failed to infer returned types}}
  %0 = octet.reduce_sum %x {axes = array<i64: 2>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axes_sorted(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'octet.reduce_mean' op expects sorted, unique axes, got [1, 0]}}
  // expected-error @+1 {{'octet.reduce_mean' op failed to infer returned types}}
  %0 = octet.reduce_mean %x {axes = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<1x1xf32>
  return
}

// -----

func.func @constant_type() {
  // expected-error @+1 {{'octet.constant' op failed to verify that all of {value, output} have same type}}
  %0 = "octet.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return
}

// -----

func.func @cast_shape(%x: tensor<4xi64>) {
  // expected-error @+1 {{'octet.cast' op all non-scalar operands/results must have the same shape and base type}}
  %0 = octet.cast %x : tensor<4xi64> to tensor<2xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'octet.reshape' op expects the same number of elements, got [2, 3] and [4, 2]}}
  %0 = octet.reshape %x : tensor<2x3xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @reshape_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'octet.reshape' op expects input and output of one element type, got 'f32' and 'f16'}}
  %0 = octet.reshape %x : tensor<2x3xf32> -> tensor<6xf16>
  return
}

// -----

func.func @flatten_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'octet.flatten' op expects axis in [0, 2], got 3}}
  // expected-error @+1 {{'octet.flatten' op failed to infer returned types}}
  %0 = octet.flatten %x {axis = 3 : i64} : tensor<2x3xf32> -> tensor<6x1xf32>
  return
}

// -----

func.func @transpose_size(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'octet.transpose' op expects a permutation of 2 dimensions, got [0, 1, 2]}}
  // expected-error @+1 {{'octet.transpose' op failed to infer returned types}}
  %0 = octet.transpose %x {perm = array<i64: 0, 1, 2>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'octet.transpose' op expects perm to be a permutation of [0, 2), got [1, 1]}}
  // expected-error @+1 {{'octet.transpose' op failed to infer returned types}}
  %0 = octet.transpose %x {perm = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<3x3xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+2 {{'octet.concat' op expects at least one input}}
  // expected-error @+1 {{'octet.concat' op failed to infer returned types}}
  %0 = octet.concat {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'octet.concat' op expects axis in [0, 2), got 2}}
  // expected-error @+1 {{'octet.concat' op failed to infer returned types}}
  %0 = octet.concat %x, %x {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_rank(%x: tensor<2x3xf32>, %y: tensor<6xf32>) {
  // expected-error @+2 {{'octet.concat' op expects inputs of equal rank, got [2, 3] and [6]}}
  // expected-error @+1 {{'octet.concat' op failed to infer returned types}}
  %0 = octet.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<6xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_dims(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) {
  // expected-error @+2 {{'octet.concat' op expects inputs to match except along axis 0, got [2, 3] and [2, 4]}}
  // expected-error @+1 {{'octet.concat' op failed to infer returned types}}
  %0 = octet.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_types(%x: tensor<2x3xf32>, %y: tensor<2x3xi32>) {
  // expected-error @+2 {{'octet.concat' op expects operands of one element type, got 'f32' and 'i32'}}
  // expected-error @+1 {{'octet.concat' op failed to infer returned types}}
  %0 = octet.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @slice_sizes(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'octet.slice' op expects starts, ends and steps of size 2 (one per dimension)}}
  // expected-error @+1 {{'octet.slice' op failed to infer returned types}}
  %0 = octet.slice %x {starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_step(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'octet.slice' op expects non-zero steps, got [1, 0]}}
  // expected-error @+1 {{'octet.slice' op failed to infer returned types}}
  %0 = octet.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 4, 8>, steps = array<i64: 1, 0>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_bounds(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'octet.slice' op expects clamped bounds in dimension 1 of size 8, got start 0, end 9, step 1}}
  // expected-error @+1 {{'octet.slice' op failed to infer returned types}}
  %0 = octet.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 4, 9>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x9xf32>
  return
}

// -----

func.func @pad_count(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'octet.pad' op expects 4 pads (begins, then ends), got 2}}
  // expected-error @+1 {{'octet.pad' op failed to infer returned types}}
  %0 = octet.pad %x {pads = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<6x8xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'octet.pad' op expects non-negative pads, got [0, -1, 0, 0]}}
  // expected-error @+1 {{'octet.pad' op failed to infer returned types}}
  %0 = octet.pad %x {pads = array<i64: 0, -1, 0, 0>} : tensor<4x8xf32> -> tensor<4x7xf32>
  return
}

// -----

func.func @pad_reflect(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'octet.pad' op expects reflect pads smaller than dimension 0 of size 4}}
  // expected-error @+1 {{'octet.pad' op failed to infer returned types}}
  %0 = octet.pad %x {pads = array<i64: 4, 0, 0, 0>, mode = #octet.pad_mode<reflect>} : tensor<4x8xf32> -> tensor<8x8xf32>
  return
}

// -----

func.func @squeeze_size(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{'octet.squeeze' op expects squeezed dimension 1 to have size 1, got 3}}
  // expected-error @+1 {{'octet.squeeze' op failed to infer returned types}}
  %0 = octet.squeeze %x {axes = array<i64: 1>} : tensor<1x3xf32> -> tensor<1xf32>
  return
}

// -----

func.func @unsqueeze_empty(%x: tensor<3xf32>) {
  // expected-error @+2 {{'octet.unsqueeze' op expects at least one axis}}
  // expected-error @+1 {{'octet.unsqueeze' op failed to infer returned types}}
  %0 = octet.unsqueeze %x {axes = array<i64>} : tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @unsqueeze_range(%x: tensor<3xf32>) {
  // expected-error @+2 {{'octet.unsqueeze' op expects axes in [0, 2), got 2}}
  // expected-error @+1 {{'octet.unsqueeze' op failed to infer returned types}}
  %0 = octet.unsqueeze %x {axes = array<i64: 2>} : tensor<3xf32> -> tensor<3x1xf32>
  return
}

// -----

func.func @gather_axis(%x: tensor<4x8xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{'octet.gather' op expects axis in [0, 2), got 2}}
  // expected-error @+1 {{'octet.gather' op failed to infer returned types}}
  %0 = octet.gather %x, %i {axis = 2 : i64} : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return
}

// -----

func.func @gather_indices(%x: tensor<4x8xf32>, %i: tensor<2xf32>) {
  // expected-error @+1 {{'octet.gather' op operand #1 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = "octet.gather"(%x, %i) : (tensor<4x8xf32>, tensor<2xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @observe_name(%x: tensor<4xf32>) {
  // expected-error @+1 {{'octet.observe' op expects a non-empty name}}
  %0 = octet.observe %x {name = ""} : tensor<4xf32>
  return
}

// -----

func.func @quantize_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'octet.quantize' op expects input and output of one shape}}
  %0 = octet.quantize %x : tensor<4xf32> -> tensor<2x!quant.uniform<u8:f32, 0.1:128>>
  return
}

// -----

func.func @quantize_expressed(%x: tensor<4xf16>) {
  // expected-error @+1 {{'octet.quantize' op expects the result's expressed type 'f32' to match the input element type 'f16'}}
  %0 = octet.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<u8:f32, 0.1:128>>
  return
}

// -----

func.func @quantize_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{'octet.quantize' op expects the result quantized dimension 1 to be below rank 1}}
  %0 = octet.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
  return
}

// -----

func.func @quantize_scales(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'octet.quantize' op expects 4 result scales (dimension 0), got 2}}
  %0 = octet.quantize %x : tensor<4x3xf32> -> tensor<4x3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return
}

// -----

func.func @quantize_kind(%x: tensor<4xf32>) {
  // expected-error @+1 {{'octet.quantize' op expects a uniform quantized result type, got '!quant.any<i8:f32>'}}
  %0 = octet.quantize %x : tensor<4xf32> -> tensor<4x!quant.any<i8:f32>>
  return
}

// -----

func.func @dequantize_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'octet.dequantize' op operand #0 must be statically shaped tensor of quantized type values, but got 'tensor<4xf32>'}}
  %0 = "octet.dequantize"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @dequantize_result(%x: tensor<4x!quant.uniform<u8:f32, 0.1:128>>) {
  // expected-error @+2 {{'octet.dequantize' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<4xf16>'}}
  // expected-error @+1 {{'octet.dequantize' op failed to infer returned types}}
  %0 = octet.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.1:128>> -> tensor<4xf16>
  return
}

// -----

func.func @requantize_shape(%x: tensor<4x!quant.uniform<u8:f32, 0.1:128>>) {
  // expected-error @+1 {{'octet.requantize' op expects input and output of one shape}}
  %0 = octet.requantize %x : tensor<4x!quant.uniform<u8:f32, 0.1:128>> -> tensor<2x!quant.uniform<u8:f32, 0.2:128>>
  return
}

// -----

func.func @requantize_expressed(%x: tensor<4x!quant.uniform<u8:f32, 0.1:128>>) {
  // expected-error @+1 {{'octet.requantize' op expects input and output of one expressed type}}
  %0 = octet.requantize %x : tensor<4x!quant.uniform<u8:f32, 0.1:128>> -> tensor<4x!quant.uniform<u8:f16, 0.2:128>>
  return
}

// -----

func.func @requantize_input_axis(%x: tensor<4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) {
  // expected-error @+1 {{'octet.requantize' op expects 4 input scales (dimension 0), got 2}}
  %0 = octet.requantize %x : tensor<4x!quant.uniform<i8:f32:0, {0.1, 0.2}>> -> tensor<4x!quant.uniform<u8:f32, 0.2:128>>
  return
}

// -----

func.func @flatten_overflow(%x: tensor<4294967296x4294967296xf32>) {
  // expected-error @+2 {{'octet.flatten' op has too many elements}}
  // expected-error @+1 {{'octet.flatten' op failed to infer returned types}}
  %0 = octet.flatten %x {axis = 0 : i64} : tensor<4294967296x4294967296xf32> -> tensor<1x1xf32>
  return
}

// -----

func.func @requantize_kind(%x: tensor<4x!quant.any<i8:f32>>) {
  // expected-error @+1 {{'octet.requantize' op expects a uniform quantized input type, got '!quant.any<i8:f32>'}}
  %0 = octet.requantize %x : tensor<4x!quant.any<i8:f32>> -> tensor<4x!quant.uniform<u8:f32, 0.2:128>>
  return
}

// -----

func.func @activation_kind() {
  // expected-error @+1 {{expected one of [none, relu, clip, leaky_relu, sigmoid, hard_sigmoid, hard_swish] for activation fused into a producing op, got: swish}}
  "test.use"() {act = #octet.act<swish>} : () -> ()
  return
}

// -----

func.func @conv_integer_weight_zp(%x: tensor<1x3x8x8xui8>, %w: tensor<4x3x3x3xi8>, %wz: tensor<3xi8>) {
  // expected-error @+2 {{'octet.conv2d_integer' op expects weight_zero_point to be a scalar or of shape [4], got [3]}}
  // expected-error @+1 {{'octet.conv2d_integer' op failed to infer returned types}}
  %0 = octet.conv2d_integer %x, %w weight_zp %wz : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<3xi8>) -> tensor<1x4x6x6xi32>
  return
}

// -----

func.func @conv_integer_input_zp(%x: tensor<1x3x8x8xui8>, %w: tensor<4x3x3x3xi8>, %xz: tensor<3xui8>) {
  // expected-error @+2 {{'octet.conv2d_integer' op expects input_zero_point to be a scalar, got [3]}}
  // expected-error @+1 {{'octet.conv2d_integer' op failed to infer returned types}}
  %0 = octet.conv2d_integer %x, %w input_zp %xz : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<3xui8>) -> tensor<1x4x6x6xi32>
  return
}

// -----

func.func @conv_integer_float(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xi8>) {
  // expected-error @+1 {{'octet.conv2d_integer' op operand #0 must be statically shaped tensor of 8-bit signless integer or 8-bit unsigned integer values}}
  %0 = "octet.conv2d_integer"(%x, %w) {operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xi8>) -> tensor<1x4x6x6xi32>
  return
}

// -----

func.func @matmul_integer_zp(%a: tensor<4x16xui8>, %b: tensor<16x8xi8>, %az: tensor<2xui8>) {
  // expected-error @+2 {{'octet.matmul_integer' op expects lhs_zero_point to be a scalar or of shape [4], got [2]}}
  // expected-error @+1 {{'octet.matmul_integer' op failed to infer returned types}}
  %0 = octet.matmul_integer %a, %b lhs_zp %az : (tensor<4x16xui8>, tensor<16x8xi8>, tensor<2xui8>) -> tensor<4x8xi32>
  return
}

// -----

func.func @matmul_integer_result(%a: tensor<4x16xui8>, %b: tensor<16x8xi8>) {
  // expected-error @+2 {{'octet.matmul_integer' op inferred type(s) 'tensor<4x8xi32>' are incompatible with return type(s) of operation 'tensor<4x9xi32>'}}
  // expected-error @+1 {{'octet.matmul_integer' op failed to infer returned types}}
  %0 = "octet.matmul_integer"(%a, %b) {operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<4x16xui8>, tensor<16x8xi8>) -> tensor<4x9xi32>
  return
}

// -----

func.func @observe_bins(%x: tensor<4xf32>) {
  // expected-error @+1 {{'octet.observe' op expects at least 2 histogram bins, got 1}}
  %0 = octet.observe %x {name = "x", kind = #octet.observer<histogram>, bins = 1 : i64} : tensor<4xf32>
  return
}

// -----

func.func @gru_weight_axis(%x: tensor<2x1x1xf32>, %w: tensor<1x3x1x!quant.uniform<i8:f32, 0.5>>, %r: tensor<1x3x1xf32>) {
  // expected-error @+1 {{'octet.gru' op expects quantized weights per axis, got 'tensor<1x3x1x!quant.uniform<i8:f32, 5.000000e-01>>'}}
  %y, %h = octet.gru %x, %w, %r {hidden_size = 1 : i64}
      : (tensor<2x1x1xf32>, tensor<1x3x1x!quant.uniform<i8:f32, 0.5>>, tensor<1x3x1xf32>) -> (tensor<2x1x1x1xf32>, tensor<1x1x1xf32>)
  return
}

// -----

func.func @lstm_weight_rows(%x: tensor<2x1x1xf32>, %w: tensor<1x4x1xf32>, %r: tensor<1x4x1x!quant.uniform<i8:f32:2, {0.5}>>) {
  // expected-error @+1 {{'octet.lstm' op expects quantized weights to be signed int8 of f32, symmetric, with one scale per row (dimension 1), got 'tensor<1x4x1x!quant.uniform<i8:f32:2, {5.000000e-01}>>'}}
  %y, %h, %c = octet.lstm %x, %w, %r {hidden_size = 1 : i64}
      : (tensor<2x1x1xf32>, tensor<1x4x1xf32>, tensor<1x4x1x!quant.uniform<i8:f32:2, {0.5}>>) -> (tensor<2x1x1x1xf32>, tensor<1x1x1xf32>, tensor<1x1x1xf32>)
  return
}

// -----

func.func @gru_weight_type(%x: tensor<2x1x1xf32>, %w: tensor<1x3x1xf16>, %r: tensor<1x3x1xf32>) {
  // expected-error @+1 {{'octet.gru' op expects weights of element type 'f32', got 'tensor<1x3x1xf16>'}}
  %y, %h = octet.gru %x, %w, %r {hidden_size = 1 : i64}
      : (tensor<2x1x1xf32>, tensor<1x3x1xf16>, tensor<1x3x1xf32>) -> (tensor<2x1x1x1xf32>, tensor<1x1x1xf32>)
  return
}

// -----

func.func @conv_integer_bias(%x: tensor<1x1x2x2xi8>, %w: tensor<2x1x1x1xi8>, %b: tensor<3xi32>) {
  // expected-error @+2 {{'octet.conv2d_integer' op expects bias of shape [2], got [3]}}
  // expected-error @+1 {{'octet.conv2d_integer' op failed to infer returned types}}
  %y = octet.conv2d_integer %x, %w bias %b : (tensor<1x1x2x2xi8>, tensor<2x1x1x1xi8>, tensor<3xi32>) -> tensor<1x2x2x2xi32>
  return
}
