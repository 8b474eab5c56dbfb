/**
 * GLSL ES 1.00 (WebGL 1 and 2) for the 3-D view. Shader text is compiled by the GPU driver, not evaluated as
 * script, so it needs no CSP exception.
 */

const MATRICES = `
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
`;

/** Vertex colours (the 2-D landscape's viridis) shaded by a light over the viewer's shoulder. */
export const SURFACE_VERTEX = `
precision highp float;
attribute vec3 position;
attribute vec3 normal;
attribute vec3 colour;
${MATRICES}
uniform mat3 normalMatrix;
varying vec3 vColour;
varying vec3 vNormal;
void main() {
  vColour = colour;
  vNormal = normalMatrix * normal;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;

// Both faces lit (abs), and a high ambient share: shading shows the shape while the hue still reads on the
// colour scale.
export const SURFACE_FRAGMENT = `
precision highp float;
varying vec3 vColour;
varying vec3 vNormal;
void main() {
  float d = abs(dot(normalize(vNormal), normalize(vec3(-0.35, 0.8, 0.5))));
  gl_FragColor = vec4(vColour * (0.6 + 0.45 * d), 1.0);
}`;

/** Axes and floor grid: 1-pixel lines in one colour. */
export const LINE_VERTEX = `
precision highp float;
attribute vec3 position;
${MATRICES}
void main() {
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;

export const LINE_FRAGMENT = `
precision highp float;
uniform vec4 colour;
void main() {
  gl_FragColor = colour;
}`;

/**
 * Trajectory segments, one instance each: a quad from a to b widened in screen space (WebGL lines are one
 * pixel wide on most drivers, SwiftShader included). A segment ending after the current step is hidden, one
 * within the tail is wide and opaque, fading to the faint, thin path already travelled.
 */
export const PATH_VERTEX = `
precision highp float;
attribute vec2 corner;
attribute vec3 a;
attribute vec3 b;
attribute vec3 colour;
attribute float step;
${MATRICES}
uniform vec2 viewport;
uniform float current;
uniform float tail;
uniform float faint;
uniform float width;
uniform float opacity;
varying vec4 vColour;
void main() {
  vec4 pa = projectionMatrix * modelViewMatrix * vec4(a, 1.0);
  vec4 pb = projectionMatrix * modelViewMatrix * vec4(b, 1.0);
  vec2 d = (pb.xy / pb.w - pa.xy / pa.w) * viewport;
  vec2 n = length(d) > 0.0 ? normalize(vec2(-d.y, d.x)) : vec2(0.0, 1.0);
  float age = current - step;
  float recent = age < 0.0 ? 0.0 : clamp(1.0 - age / tail, 0.0, 1.0);
  vec4 p = mix(pa, pb, corner.x);
  p.xy += n * corner.y * width * (1.0 + 1.5 * recent) / viewport * p.w;
  gl_Position = p;
  vColour = vec4(colour, age < 0.0 ? 0.0 : mix(faint, 1.0, recent) * opacity);
}`;

export const PATH_FRAGMENT = `
precision highp float;
varying vec4 vColour;
void main() {
  if (vColour.a <= 0.0) discard;
  gl_FragColor = vColour;
}`;

/** Current points and known minima: round sprites (or five-pointed stars) with a ring for contrast. */
export const MARKER_VERTEX = `
precision highp float;
attribute vec3 position;
attribute vec3 colour;
${MATRICES}
uniform float size;
varying vec3 vColour;
void main() {
  vColour = colour;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  gl_PointSize = size;
}`;

export const MARKER_FRAGMENT = `
precision highp float;
uniform vec3 ring;
uniform float star;
uniform float opacity;
varying vec3 vColour;
void main() {
  vec2 p = vec2(gl_PointCoord.x, 1.0 - gl_PointCoord.y) * 2.0 - 1.0;
  float r = length(p);
  float edge = star > 0.5 ? 0.5 + 0.5 * pow(abs(cos(2.5 * (atan(p.y, p.x) - 1.5708))), 3.0) : 1.0;
  if (r > edge) discard;
  gl_FragColor = vec4(r > edge - 0.3 ? ring : vColour, opacity);
}`;
