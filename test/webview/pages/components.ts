// The page the component tests load: the Lab's new components, bundled as the panel bundles them, on `window.lab`
// for the tests to mount into containers of their choosing. No component is mounted here.
import { PlaybackBar } from '../../../webview/playbackBar';
import { Player } from '../../../webview/player';

Object.assign(window, { lab: { PlaybackBar, Player } });
