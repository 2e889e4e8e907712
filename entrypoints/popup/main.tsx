// Popup entry: mounts the popup UI.
import { render } from 'preact';

render(<p>政策透镜</p>, document.getElementById('app')!);
