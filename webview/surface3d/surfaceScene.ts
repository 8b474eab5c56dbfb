/**
 * The 3-D view's WebGL side, through ogl: one program per kind of thing drawn (surface, frame lines, path
 * segments, markers), geometries replaced when the data changes, and a draw in a fixed order. Paths and
 * markers are drawn twice: faintly through the surface (so a lane behind a hill is not lost) and then
 * depth-tested at full strength.
 */
import { Camera, Geometry, Mesh, Program, Renderer, Transform, type OGLRenderingContext } from 'ogl';
import type { PathBuffers, RGB } from './trajectoryBuffers';
import type { SurfaceMesh } from './surfaceGeometry';
import * as glsl from './shaders';

/** The colours the scene takes from the theme, as 0 … 1 floats. */
export interface SceneColours {
  readonly background: RGB;
  readonly frame: RGB;
}

/** The playback state the path shader needs. */
export interface PathStyle {
  readonly current: number;
  readonly tail: number;
  readonly faint: number;
}

const MARKER_PX = 9;
const MINIMUM_PX = 17;
const PATH_PX = 1.6;
const THROUGH_OPACITY = 0.3;
/** Lanes gather at the bottom of valleys, which the valley's near wall hides: their markers stay visible. */
const MARKER_THROUGH_OPACITY = 0.8;
/** What the scene draws, in drawing order. */
const KINDS = ['frame', 'surface', 'paths', 'minima', 'markers'] as const;
type Kind = (typeof KINDS)[number];

/** The corners of a path segment's quad: along the segment (0 → 1) and across it (−1, +1). */
const QUAD = new Float32Array([0, -1, 0, 1, 1, -1, 1, 1]);

export class SurfaceScene {
  readonly renderer: Renderer;
  readonly gl: OGLRenderingContext;
  readonly camera: Camera;
  private readonly scene = new Transform();
  private readonly programs;
  private readonly meshes: Record<Kind, Mesh[]>;

  constructor(canvas: HTMLCanvasElement, dpr: number) {
    this.renderer = new Renderer({ canvas, dpr, antialias: true });
    this.gl = this.renderer.gl;
    this.camera = new Camera(this.gl, { fov: 35, near: 0.05, far: 60 });
    const program = (vertex: string, fragment: string, uniforms: Record<string, { value: unknown }>, through = false) =>
      new Program(this.gl, {
        vertex,
        fragment,
        uniforms,
        transparent: uniforms.opacity !== undefined,
        // No culling: the surface is seen from below where it curls up, and a path quad faces either way.
        cullFace: false,
        depthTest: !through,
        depthWrite: uniforms.opacity === undefined,
      });
    const pathUniforms = (opacity: number) => ({
      viewport: { value: [1, 1] },
      current: { value: 0 },
      tail: { value: 1 },
      faint: { value: 0.3 },
      width: { value: PATH_PX * dpr },
      opacity: { value: opacity },
    });
    const markerUniforms = (size: number, star: number, opacity: number) => ({
      size: { value: size * dpr },
      star: { value: star },
      ring: { value: [0, 0, 0] },
      opacity: { value: opacity },
    });
    this.programs = {
      surface: program(glsl.SURFACE_VERTEX, glsl.SURFACE_FRAGMENT, {}),
      frame: program(glsl.LINE_VERTEX, glsl.LINE_FRAGMENT, { colour: { value: [0.5, 0.5, 0.5, 1] } }),
      pathThrough: program(glsl.PATH_VERTEX, glsl.PATH_FRAGMENT, pathUniforms(THROUGH_OPACITY), true),
      path: program(glsl.PATH_VERTEX, glsl.PATH_FRAGMENT, pathUniforms(1)),
      minima: program(glsl.MARKER_VERTEX, glsl.MARKER_FRAGMENT, markerUniforms(MINIMUM_PX, 1, 1), true),
      markerThrough: program(
        glsl.MARKER_VERTEX,
        glsl.MARKER_FRAGMENT,
        markerUniforms(MARKER_PX, 0, MARKER_THROUGH_OPACITY),
        true,
      ),
      marker: program(glsl.MARKER_VERTEX, glsl.MARKER_FRAGMENT, markerUniforms(MARKER_PX, 0, 1)),
    };
    this.meshes = { frame: [], surface: [], paths: [], minima: [], markers: [] };
  }

  setColours(c: SceneColours): void {
    this.renderer.gl.clearColor(c.background[0], c.background[1], c.background[2], 1);
    this.programs.frame.uniforms.colour.value = [...c.frame, 1];
    for (const p of [this.programs.marker, this.programs.markerThrough]) p.uniforms.ring.value = [...c.background];
    this.programs.minima.uniforms.ring.value = [...c.background];
  }

  setFrame(lines: Float32Array): void {
    this.replace(
      'frame',
      new Geometry(this.gl, { position: { size: 3, data: lines } }),
      [this.programs.frame],
      this.gl.LINES,
    );
  }

  setSurface(m: SurfaceMesh): void {
    const geometry = new Geometry(this.gl, {
      position: { size: 3, data: m.position },
      normal: { size: 3, data: m.normal },
      colour: { size: 3, data: m.colour },
      index: { data: m.index },
    });
    const [mesh] = this.replace('surface', geometry, [this.programs.surface], this.gl.TRIANGLES);
    // Pushed back a little in depth, so that paths and markers lying on the surface win the depth test.
    mesh.onBeforeRender(() => {
      this.gl.enable(this.gl.POLYGON_OFFSET_FILL);
      this.gl.polygonOffset(1, 2);
    });
    mesh.onAfterRender(() => this.gl.disable(this.gl.POLYGON_OFFSET_FILL));
  }

  setPaths(p: PathBuffers): void {
    const geometry = new Geometry(this.gl, {
      corner: { size: 2, data: QUAD },
      a: { size: 3, data: p.a, instanced: 1 },
      b: { size: 3, data: p.b, instanced: 1 },
      colour: { size: 3, data: p.colour, instanced: 1 },
      step: { size: 1, data: p.step, instanced: 1 },
    });
    const programs = [this.programs.pathThrough, this.programs.path];
    this.replace('paths', geometry, programs, this.gl.TRIANGLE_STRIP, p.count > 0);
  }

  setPathStyle(s: PathStyle): void {
    for (const p of [this.programs.pathThrough, this.programs.path]) {
      p.uniforms.current.value = s.current;
      p.uniforms.tail.value = s.tail;
      p.uniforms.faint.value = s.faint;
    }
  }

  /** Known minima as stars in the foreground colour. */
  setMinima(position: Float32Array, colour: RGB): void {
    const n = position.length / 3;
    const colours = new Float32Array(position.length).map((_, i) => colour[i % 3]);
    const geometry = new Geometry(this.gl, {
      position: { size: 3, data: position },
      colour: { size: 3, data: colours },
    });
    this.replace('minima', geometry, [this.programs.minima], this.gl.POINTS, n > 0);
  }

  /** Marker buffers of a fixed capacity, filled by the caller; `showMarkers` then uploads the first n. */
  setMarkers(position: Float32Array, colour: Float32Array): void {
    const geometry = new Geometry(this.gl, {
      position: { size: 3, data: position, usage: this.gl.DYNAMIC_DRAW },
      colour: { size: 3, data: colour, usage: this.gl.DYNAMIC_DRAW },
    });
    this.replace('markers', geometry, [this.programs.markerThrough, this.programs.marker], this.gl.POINTS);
  }

  showMarkers(n: number): void {
    const [mesh] = this.meshes.markers;
    if (!mesh) return;
    const g = mesh.geometry;
    g.attributes.position.needsUpdate = true;
    g.attributes.colour.needsUpdate = true;
    g.setDrawRange(0, n);
    for (const m of this.meshes.markers) m.visible = n > 0;
  }

  /** Draws one frame at the renderer's size. */
  draw(): void {
    const { width, height, dpr } = this.renderer;
    for (const p of [this.programs.pathThrough, this.programs.path])
      p.uniforms.viewport.value = [width * dpr, height * dpr];
    this.renderer.render({ scene: this.scene, camera: this.camera, sort: false, frustumCull: false });
  }

  /** Frees every buffer and program, then the context itself (browsers cap live WebGL contexts per page). */
  dispose(): void {
    for (const meshes of Object.values(this.meshes)) meshes[0]?.geometry.remove();
    for (const p of Object.values(this.programs)) p.remove();
    this.gl.getExtension('WEBGL_lose_context')?.loseContext();
  }

  /** Swaps the geometry of one kind of thing, keeping the draw order of the kinds. */
  private replace(kind: Kind, geometry: Geometry, programs: Program[], mode: number, visible = true): Mesh[] {
    this.meshes[kind][0]?.geometry.remove();
    this.meshes[kind] = programs.map((program) => {
      const mesh = new Mesh(this.gl, { geometry, program, mode, frustumCulled: false });
      mesh.visible = visible;
      return mesh;
    });
    for (const child of [...this.scene.children]) this.scene.removeChild(child);
    for (const k of KINDS) for (const mesh of this.meshes[k]) mesh.setParent(this.scene);
    return this.meshes[kind];
  }
}
