// The page the component tests load: the Lab's new components, bundled as the panel bundles them, on `window.lab`
// for the tests to mount into containers of their choosing. No component is mounted here.
import { Chart, LinearScale, PointElement, ScatterController } from 'chart.js';
import { CurveView } from '../../../webview/curveView';
import { definitionEditor } from '../../../webview/echoField';
import { LandscapeView } from '../../../webview/landscape';
import { OptimizerCard } from '../../../webview/optimizerCard';
import { PlaybackBar } from '../../../webview/playbackBar';
import { Player } from '../../../webview/player';
import { chartHover, gridLookup, HoverTip, pointRows, ShownNote } from '../../../webview/readouts';
import { SliceControls, sliceTitle } from '../../../webview/sliceControls';
import { SweepView } from '../../../webview/sweepView';
import { readTheme } from '../../../webview/theme';
import { TrajectoryLayer } from '../../../webview/trajectoryLayer';

Chart.register(ScatterController, PointElement, LinearScale);

Object.assign(window, {
  lab: {
    Chart,
    CurveView,
    definitionEditor,
    LandscapeView,
    OptimizerCard,
    PlaybackBar,
    Player,
    chartHover,
    gridLookup,
    HoverTip,
    pointRows,
    ShownNote,
    SliceControls,
    sliceTitle,
    SweepView,
    readTheme,
    TrajectoryLayer,
  },
});
