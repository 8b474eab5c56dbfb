/**
 * How the user moves the 3-D camera: ogl's Orbit (drag rotates, wheel and pinch zoom, right-drag pans) with
 * easing and inertia off, so that the view draws on demand instead of in a loop; shift-drag also pans (no right
 * button on many trackpads); and keys on the focused canvas: arrows rotate, + and − zoom, 0 resets.
 */
import { Orbit, Vec3, type Camera } from 'ogl';

/** Where the view starts and resets to: from the front right, about 35° above the floor. */
const HOME = { target: [0, 0.25, 0] as const, theta: 0.6, phi: 0.95, radius: 4.9 };
const LIMITS = { minPhi: 0.05, maxPhi: Math.PI / 2 - 0.02, minRadius: 1.2, maxRadius: 14 };
const KEY_ROTATE = Math.PI / 12;
const KEY_TILT = Math.PI / 24;
const KEY_ZOOM = 0.85;

/** ogl's Orbit keeps which mouse button does what in a field its typings omit. */
interface OrbitButtons {
  mouseButtons: { ORBIT: number; ZOOM: number; PAN: number };
}

export class CameraControls {
  private readonly orbit: Orbit;
  private readonly listeners: [EventTarget, string, EventListener, boolean][] = [];

  /** `changed` is called whenever the camera may have moved; the caller draws on the next frame. */
  constructor(
    private readonly camera: Camera,
    element: HTMLElement,
    changed: () => void,
  ) {
    this.orbit = new Orbit(camera, {
      element,
      ease: 1,
      inertia: 0,
      rotateSpeed: 0.6,
      panSpeed: 1,
      zoomSpeed: 2,
      minPolarAngle: LIMITS.minPhi,
      maxPolarAngle: LIMITS.maxPhi,
      minDistance: LIMITS.minRadius,
      maxDistance: LIMITS.maxRadius,
    });
    this.reset();
    const buttons = (this.orbit as unknown as OrbitButtons).mouseButtons;
    // Before Orbit's own mousedown handler (capture runs first at the target): shift turns the left button to pan.
    this.listen(
      element,
      'mousedown',
      (e) => {
        const shift = (e as MouseEvent).shiftKey;
        Object.assign(buttons, shift ? { ORBIT: -1, PAN: 0 } : { ORBIT: 0, PAN: 2 });
      },
      true,
    );
    const moving = () => changed();
    this.listen(element, 'mousedown', () => window.addEventListener('mousemove', moving));
    this.listen(window, 'mouseup', () => window.removeEventListener('mousemove', moving));
    this.listeners.push([window, 'mousemove', moving, false]);
    for (const type of ['wheel', 'touchmove']) this.listen(element, type, moving);
    this.listen(element, 'keydown', (e) => {
      if (this.key((e as KeyboardEvent).key)) {
        e.preventDefault();
        changed();
      }
    });
  }

  /** Applies the pending drag or wheel movement; call before each draw. */
  update(): void {
    this.orbit.update();
  }

  reset(): void {
    this.orbit.target.set(...HOME.target);
    this.place(HOME.theta, HOME.phi, HOME.radius);
  }

  dispose(): void {
    this.orbit.remove();
    for (const [target, type, fn, capture] of this.listeners) target.removeEventListener(type, fn, capture);
  }

  private listen(target: EventTarget, type: string, fn: EventListener, capture = false): void {
    target.addEventListener(type, fn, capture);
    this.listeners.push([target, type, fn, capture]);
  }

  /** Handles one key; false when it is not one of the view's. */
  private key(key: string): boolean {
    const o = new Vec3().sub(this.camera.position, this.orbit.target);
    const radius = o.len();
    const theta = Math.atan2(o.x, o.z);
    const phi = Math.acos(Math.min(1, Math.max(-1, o.y / radius)));
    const moves: Record<string, () => void> = {
      ArrowLeft: () => this.place(theta - KEY_ROTATE, phi, radius),
      ArrowRight: () => this.place(theta + KEY_ROTATE, phi, radius),
      ArrowUp: () => this.place(theta, phi - KEY_TILT, radius),
      ArrowDown: () => this.place(theta, phi + KEY_TILT, radius),
      '+': () => this.place(theta, phi, radius * KEY_ZOOM),
      '=': () => this.place(theta, phi, radius * KEY_ZOOM),
      '-': () => this.place(theta, phi, radius / KEY_ZOOM),
      '0': () => this.reset(),
    };
    moves[key]?.();
    return key in moves;
  }

  /** Puts the camera at spherical (θ about the up axis, φ from it, radius) around the target, within limits. */
  private place(theta: number, phi: number, radius: number): void {
    const p = Math.min(LIMITS.maxPhi, Math.max(LIMITS.minPhi, phi));
    const r = Math.min(LIMITS.maxRadius, Math.max(LIMITS.minRadius, radius));
    const t = this.orbit.target;
    this.camera.position.set(
      t.x + r * Math.sin(p) * Math.sin(theta),
      t.y + r * Math.cos(p),
      t.z + r * Math.sin(p) * Math.cos(theta),
    );
    this.orbit.forcePosition();
  }
}
