import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

import java.net.URI;

/**
 * A bare proxy on Netty (native epoll), for comparison with {@link JettyFloor}: each client connection gets its own
 * upstream connection on the same event loop, so a request and its answer never change threads. Not a product.
 *
 * <pre>java -cp 'netty jars/*' NettyFloor.java PORT UPSTREAM_URL</pre>
 */
public final class NettyFloor {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        URI upstream = URI.create(args[1]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), EpollIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Front(upstream));
                    }
                }).bind("127.0.0.1", port).sync();
    }

    /** One client connection and the upstream connection it owns. */
    private static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final URI upstream;
        private ChannelFuture connected;

        Front(URI upstream) {
            this.upstream = upstream;
        }

        @Override
        public void channelActive(ChannelHandlerContext client) {
            connected = new Bootstrap().group(client.channel().eventLoop()).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                    new SimpleChannelInboundHandler<FullHttpResponse>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse answer) {
                                            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                                                    answer.content().retain());
                                            out.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                                            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
                                            client.writeAndFlush(out);
                                        }
                                    });
                        }
                    }).connect(upstream.getHost(), upstream.getPort());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpRequest up = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, upstream.getRawPath(), request.content().retain());
            up.headers().set(HttpHeaderNames.HOST, upstream.getHost() + ":" + upstream.getPort());
            up.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            up.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, up.content().readableBytes());
            Channel channel = connected.channel();
            if (connected.isDone()) {
                channel.writeAndFlush(up);
            } else {
                connected.addListener(done -> channel.writeAndFlush(up));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connected.channel().close();
        }
    }
}
